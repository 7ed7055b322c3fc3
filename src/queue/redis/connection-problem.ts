const CONNECTION_PROBLEM =
  /no answer from Redis|Command timed out|Command aborted due to connection close|Stream isn't writeable|Connection is closed|OOM command not allowed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|max retries|READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|UNBLOCKED|NOREPLICAS|All sentinels are unreachable|failed to connect to sentinel/i;

/** Redis Cluster's redirect and slot errors, and ioredis' own (case-sensitive: `ASK` is a word). */
export const CLUSTER_PROBLEM =
  /\b(MOVED|ASK|CROSSSLOT|CLUSTERDOWN|TRYAGAIN)\b|Failed to refresh slots cache|None of startup nodes is available|Cluster isn't ready/;

/**
 * Whether an error from ioredis (or BullMQ) means Redis could not be reached or could not write,
 * as opposed to a command Redis refused: the first is `queue_unavailable`, the second is about
 * the job (test/unit/queue/push-errors.test.ts). Shared by the Redis-backed drivers. Cluster
 * redirects and slot errors (MOVED, ASK, CROSSSLOT, CLUSTERDOWN, READONLY after a failover) are
 * about where the keys live, never about the job: a client that followed them would have
 * succeeded, so they reach users as `queue_unavailable`, never as a problem with their config.
 */
export function isConnectionProblem(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  const code = (error as { code?: unknown }).code;
  return (
    CONNECTION_PROBLEM.test(error.message) ||
    CLUSTER_PROBLEM.test(error.message) ||
    (typeof code === 'string' && CONNECTION_PROBLEM.test(code))
  );
}
