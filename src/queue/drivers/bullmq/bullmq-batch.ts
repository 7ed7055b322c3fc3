import type { JobJson, JobsOptions, Queue, RedisClient } from 'bullmq';
import type { QueuedJob } from '../../job/queued-job.js';
import { RawDataJob } from './raw-data-job.js';

/**
 * Most jobs one pipeline carries. One batch for a whole burst leaves Redis idle while Node
 * serialises it all, then Node idle while Redis runs it; batches of 100-250 keep both busy
 * (`npm run bench:queue` compares).
 */
export const MAX_BATCH = 100;

/** One push waiting in a batch: its job and the settle functions of its own promise. */
export interface PendingPush {
  readonly job: QueuedJob;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** What happened to one job of a batch: stored, or the error of its own command. */
export type PushOutcome = { readonly stored: true } | { readonly stored: false; readonly error: unknown };

/**
 * Checks a job before the batch goes to Redis: an error refuses it (it is never sent),
 * `'alone'` sends it in a round trip of its own after the batch, `undefined` sends it along.
 */
export type PreCheck = (job: QueuedJob, json: JobJson) => Error | 'alone' | undefined;

const STORED: PushOutcome = Object.freeze({ stored: true });

/** Exposes BullMQ's option validation, which `addBulk` runs on every job before sending (also bullmq-push-once.ts). */
export class CheckedJob extends RawDataJob {
  validate(json: JobJson): void {
    this.validateOptions(json);
  }
}

/**
 * Stores the jobs of a batch in one Redis pipeline and reports each job's own outcome.
 *
 * BullMQ's `addBulk` sends the same pipeline (one command per job, not a transaction) but
 * throws the first error and drops the ids, so a refused job failed every dispatch of its batch
 * while the others' jobs were stored and ran anyway. Here the pipeline is built with the
 * public `addJobToTransaction` (the call `addBulk` makes per job) and each reply settles its own
 * job: a dispatch rejects only if its own job was not stored
 * (test/integration/bullmq/batch-outcomes.test.ts). A job that fails BullMQ's validation or
 * `preCheck` is never sent, so it cannot touch the others.
 */
export async function storeBatch(
  queue: Queue,
  jobs: readonly QueuedJob[],
  optionsOf: (job: QueuedJob) => JobsOptions,
  preCheck: PreCheck,
): Promise<PushOutcome[]> {
  const backend = queue.backend;
  const pipeline = (await backend.client).pipeline();
  const outcomes: PushOutcome[] = new Array(jobs.length);
  const sent: number[] = [];
  const alone: [number, JobJson, string][] = [];
  for (let index = 0; index < jobs.length; index++) {
    const job = jobs[index] as QueuedJob;
    try {
      const built = new CheckedJob(queue, job.data.listener, job.data, optionsOf(job));
      const json = built.asJSON();
      built.validate(json);
      const check = preCheck(job, json);
      if (check === 'alone') {
        alone.push([index, json, built.id as string]);
        continue;
      }
      if (check !== undefined) {
        outcomes[index] = { stored: false, error: check };
        continue;
      }
      // Queues exactly one command on the pipeline, synchronously; its reply comes from exec().
      backend.addJobToTransaction(pipeline, json, built.id as string).catch(() => {});
      sent.push(index);
    } catch (error) {
      outcomes[index] = { stored: false, error };
    }
  }
  if (sent.length > 0) await sendPipeline(pipeline, sent, outcomes);
  for (const [index, json, id] of alone) {
    try {
      const single = (await backend.client).pipeline();
      backend.addJobToTransaction(single, json, id).catch(() => {});
      await sendPipeline(single, [index], outcomes);
    } catch (error) {
      outcomes[index] = { stored: false, error };
    }
    const outcome = outcomes[index];
    if (outcome !== undefined && !outcome.stored)
      outcomes[index] = { stored: false, error: mayBeTooLong(outcome.error, json) };
  }
  return outcomes;
}

/**
 * A job sent alone is one herald could not size against Redis's limit (CONFIG GET was not
 * allowed). Redis drops the connection on a value over proto-max-bulk-len instead of answering,
 * so the push then fails like an outage: say that its size may be the cause, keeping the
 * original message (and so its kind, see isConnectionProblem).
 */
function mayBeTooLong(error: unknown, json: JobJson): unknown {
  if (!(error instanceof Error) || typeof json.data !== 'string') return error;
  const bytes = Buffer.byteLength(json.data);
  return new Error(
    `${error.message} (the job is ${bytes} bytes: if that is over the Redis server's proto-max-bulk-len, which herald could not read because CONFIG is not allowed, Redis dropped the connection on it; lower the connection's maxPayloadBytes below that limit)`,
    { cause: error },
  );
}

/** Runs a pipeline and records each command's reply as the outcome of its job. */
async function sendPipeline(
  pipeline: ReturnType<RedisClient['pipeline']>,
  sent: readonly number[],
  outcomes: PushOutcome[],
): Promise<void> {
  let replies: [Error | null, unknown][] | null;
  try {
    replies = await pipeline.exec();
  } catch (error) {
    replies = null;
    for (const index of sent) outcomes[index] = { stored: false, error };
  }
  if (replies !== null) {
    if (replies.length !== sent.length) {
      const error = new Error(
        `expected ${sent.length} replies from Redis for the batch, got ${replies.length}`,
      );
      for (const index of sent) outcomes[index] = { stored: false, error };
    } else {
      sent.forEach((index, at) => {
        const [error] = replies?.[at] ?? [null];
        outcomes[index] = error === null ? STORED : { stored: false, error };
      });
    }
  }
}
