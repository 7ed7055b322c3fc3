/** An entry of one partition, as retry sets and attempt counts name it. */
export interface PartitionEntry {
  readonly partition: number;
  readonly id: string;
}

/**
 * The member of an entry in a listener's retry set and attempts hash: `<partition>|<entry id>`.
 * Both live in Redis, not in timers, so a retry and the attempt count outlive their worker.
 */
export function entryMember(entry: PartitionEntry): string {
  return `${entry.partition}|${entry.id}`;
}

/** The entry a member names, or undefined for a member herald did not write. */
export function entryOfMember(member: string): PartitionEntry | undefined {
  const [partition, id, extra] = member.split('|');
  const p = Number(partition);
  if (extra !== undefined || id === undefined || !/^\d+-\d+$/.test(id) || !Number.isSafeInteger(p))
    return undefined;
  return { partition: p, id };
}
