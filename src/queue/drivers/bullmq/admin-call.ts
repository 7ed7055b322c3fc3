import { HeraldError } from '../../../errors.js';
import { CLUSTER_PROBLEM } from '../../redis/connection-problem.js';

/** Errors of ioredis/BullMQ that mean Redis could not be reached (not that it refused a command). */
const UNREACHABLE =
  /no answer from Redis|Command timed out|Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EHOSTUNREACH|max retries|READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN/i;

/** Which connection an admin operation runs on, for its error message. */
export interface AdminTarget {
  /** The connection name from config. */
  readonly connection: string;
  /** `host:port` of its Redis (never the password). */
  readonly redis: string;
}

function unreachable(error: unknown): boolean {
  if (HeraldError.is(error)) return error.kind === 'queue_unavailable';
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (
    UNREACHABLE.test(error.message) ||
    CLUSTER_PROBLEM.test(error.message) ||
    (typeof code === 'string' && UNREACHABLE.test(code))
  );
}

/** The underlying reason of a driver's queue_unavailable error (its cause), else the error's own. */
function reasonOf(error: unknown): string {
  const cause = HeraldError.is(error) && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * Runs an operation of a command (`queue:failed`, `queue:clear`, `queue:restart`, ...) against a
 * bullmq connection. When Redis cannot be reached it fails with `queue_unavailable` whose
 * message names the operation, the connection and its Redis, and nothing about dispatches (the
 * driver's own message is written for `dispatch`): test/cli/queue-admin.test.ts.
 */
export async function adminCall<T>(target: AdminTarget, what: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!unreachable(error)) throw error;
    throw new HeraldError(
      'queue_unavailable',
      `Could not ${what} on the queue connection "${target.connection}" (Redis at ${target.redis}): ${reasonOf(error)}. Check that Redis is running and reachable, then try again.`,
      { cause: error },
    );
  }
}
