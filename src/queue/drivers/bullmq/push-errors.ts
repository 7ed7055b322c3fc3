import type { JobJson } from 'bullmq';
import { HeraldError } from '../../../errors.js';
import type { QueuedJob } from '../../job/queued-job.js';
import { isConnectionProblem } from '../../redis/connection-problem.js';

function describeJobs(jobs: readonly QueuedJob[]): string {
  return [...new Set(jobs.map((job) => `${job.data.listener} for ${job.data.event}`))].join(', ');
}

/**
 * Redis's proto-max-bulk-len, or undefined where CONFIG is not allowed or not answered (managed
 * Redis): the push path then sends a possibly-too-long job alone and maps Redis's own refusal.
 */
export async function readMaxBulkLength(producer: {
  call(command: string, ...args: string[]): Promise<unknown>;
}): Promise<number | undefined> {
  try {
    const reply = await producer.call('CONFIG', 'GET', 'proto-max-bulk-len');
    const value = Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
    return Number.isSafeInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The smallest proto-max-bulk-len Redis accepts (1 MB): no job under it can be too long. */
export const MIN_MAX_BULK_LENGTH = 1024 * 1024;

/**
 * Whether a job's data fits in one Redis value (`maxBulkLength`, Redis's proto-max-bulk-len,
 * or undefined when CONFIG GET was not allowed). Sending a too-long value does not just fail:
 * Redis answers with a protocol error and drops the connection, taking the replies of the
 * batch's other jobs with it. So a job known to be too long is refused before sending (an
 * error), and one that may be too long is sent in a round trip of its own (`'alone'`), so its
 * batch's outcomes stay its own (test/integration/bullmq/batch-outcomes.test.ts).
 */
export function checkSize(
  job: QueuedJob,
  json: JobJson,
  maxBulkLength: number | undefined,
  redis: string,
): HeraldError | 'alone' | undefined {
  const data = json.data;
  const limit = maxBulkLength ?? MIN_MAX_BULK_LENGTH;
  // A UTF-16 length times 3 bounds the UTF-8 byte length: most jobs skip the byte count.
  if (typeof data !== 'string' || data.length * 3 <= limit) return undefined;
  const bytes = Buffer.byteLength(data);
  if (bytes <= limit) return undefined;
  if (maxBulkLength === undefined) return 'alone';
  return new HeraldError(
    'payload_too_large',
    `The job of ${job.data.listener} for ${job.data.event} is ${bytes} bytes, more than Redis at ${redis} accepts in one value (proto-max-bulk-len ${maxBulkLength} bytes). Dispatch a smaller event (store large data elsewhere and pass its id), or raise proto-max-bulk-len.`,
  );
}

/**
 * The error a push rejects with when its own job was not stored: Redis unreachable
 * (`unavailable`), the job too large for Redis, or a job BullMQ refused.
 */
export function storeError(
  error: unknown,
  jobs: readonly QueuedJob[],
  redis: string,
  unavailable: (error: unknown) => HeraldError,
): HeraldError {
  if (HeraldError.is(error)) return error;
  if (error instanceof Error && /invalid bulk length/i.test(error.message)) {
    return new HeraldError(
      'payload_too_large',
      `Redis at ${redis} refused the job of ${describeJobs(jobs)} as too large: ${error.message}. Dispatch a smaller event, or raise proto-max-bulk-len.`,
      { cause: error },
    );
  }
  if (!isConnectionProblem(error)) {
    // BullMQ validates options at add; that is a problem with the job, not with Redis.
    return new HeraldError(
      'invalid_argument',
      `BullMQ refused the job of ${describeJobs(jobs)}: ${error instanceof Error ? error.message : String(error)}. Check the listener's queue options.`,
      { cause: error },
    );
  }
  return unavailable(error);
}

/** `work`, or a rejection naming `what` once `timeoutMs` has passed without it settling. */
export function bounded<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from Redis within ${timeoutMs} ms while trying to ${what}`)),
      timeoutMs,
    );
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** The `queue_unavailable` error of a push or connect that did not reach Redis. */
export function unavailableError(
  error: unknown,
  what: string,
  connection: string,
  redis: string,
): HeraldError {
  if (HeraldError.is(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new HeraldError(
    'queue_unavailable',
    `Could not ${what} on the queue connection "${connection}" (Redis at ${redis}): ${reason}. The dispatch may not have been queued (dispatch again once Redis is back; a job whose reply was lost may then run twice, so keep listeners idempotent). Check that Redis is running and reachable.`,
    { cause: error },
  );
}
