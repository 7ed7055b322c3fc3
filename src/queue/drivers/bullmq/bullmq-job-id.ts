/**
 * herald's id of a BullMQ job: `<queue>:<BullMQ id>`. BullMQ numbers jobs per queue, so its own
 * id is unique only within a queue, while `queue:failed`, `queue:retry` and `ctx.jobId` need one
 * id per job across a connection's queues. Letting BullMQ number the jobs (instead of giving each
 * a UUID) is deliberate: a 36-character id in every key a job touches makes the worker's Redis
 * scripts slower on every job (`npm run bench:queue`, Redis `INFO commandstats`). BullMQ refuses
 * queue names with `:`, so the first `:` always ends the queue name.
 */
export function heraldJobId(queue: string, bullMqId: string | undefined): string {
  return `${queue}:${bullMqId ?? ''}`;
}

/** The queue and BullMQ id of a herald job id; undefined when it is not of that form. */
export function parseHeraldJobId(id: string): { queue: string; bullMqId: string } | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return undefined;
  return { queue: id.slice(0, colon), bullMqId: id.slice(colon + 1) };
}
