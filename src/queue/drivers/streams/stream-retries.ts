/** A retry waiting in a listener's retry set: which entry, and the attempt it will be. */
export interface ScheduledRetry {
  readonly partition: number;
  readonly id: string;
  readonly attempt: number;
}

/**
 * The member of a retry set. The attempt number travels with it, so a retry that outlives its
 * worker (the set is in Redis, not a timer) runs as the right attempt on another worker.
 */
export function retryMember(retry: ScheduledRetry): string {
  return `${retry.partition}|${retry.id}|${retry.attempt}`;
}

/** The retry a member names, or undefined for a member herald did not write. */
export function retryOfMember(member: string): ScheduledRetry | undefined {
  const [partition, id, attempt] = member.split('|');
  const p = Number(partition);
  const a = Number(attempt);
  if (id === undefined || !/^\d+-\d+$/.test(id) || !Number.isSafeInteger(p) || !Number.isSafeInteger(a))
    return undefined;
  return { partition: p, id, attempt: a };
}
