import { Job, type JobJson, type JobProgress, Queue, Worker } from 'bullmq';
import { sanitizeJobHash } from './corrupt-job-fields.js';

type JobQueue = Parameters<typeof Job.fromJSON>[0];

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * A BullMQ Job that survives stored data which is not JSON (a job hash edited by hand, a
 * truncated write). BullMQ's own `Job.fromJSON` throws on it, with two bad outcomes, both seen
 * in the fault tests: in a Worker the error is only emitted while the job stays `active`, so the
 * stalled check puts it back and it is fetched again forever — a poison job that never fails
 * and never shows in `queue:failed`; in a Queue, `getFailed()` / `getJob()` throw, so
 * `queue:failed`, `queue:retry` and `queue:forget` crash on every job. Keeping the stored text
 * as the job's data instead lets herald's JobRunner fail the job once with `bad_payload`
 * ("not valid JSON"), like any other bad data.
 */
export class RawDataJob<
  DataType = unknown,
  ReturnType = unknown,
  NameType extends string = string,
  ProgressType extends JobProgress = JobProgress,
> extends Job<DataType, ReturnType, NameType, ProgressType> {
  /**
   * BullMQ's own verdict that the job must fail without running (its stall limit,
   * `maxStalledCount`), taken off `deferredFailure` so the worker's processor still sees the job
   * and runs `failed()` (bullmq-worker.ts); BullMQ would fail it silently.
   */
  heraldDeferredFailure: string | undefined;

  static override fromJSON<T = unknown, R = unknown, N extends string = string>(
    queue: JobQueue,
    json: JobJson,
    jobId?: string,
  ): Job<T, R, N> {
    let job: Job<T, R, N>;
    try {
      job = super.fromJSON<T, R, N>(queue, json, jobId);
    } catch (error) {
      if (typeof json.data !== 'string' || isJson(json.data)) throw error;
      // The data becomes the raw text itself (a JSON string of it), which readJobPayload refuses.
      job = super.fromJSON<T, R, N>(queue, { ...json, data: JSON.stringify(json.data) }, jobId);
    }
    const raw = job as unknown as { deferredFailure?: string; heraldDeferredFailure?: string };
    if (raw.deferredFailure) {
      raw.heraldDeferredFailure = raw.deferredFailure;
      raw.deferredFailure = undefined;
    }
    return job;
  }
}

/** The scripts that hand a worker its next job (as a flat hash in the first element). */
const FETCHING_SCRIPTS = new Set(['moveToActive', 'moveToFinished', 'moveToDelayed']);

interface ScriptRunner {
  execCommand(client: unknown, name: string, args: unknown[]): Promise<unknown>;
}

/** A BullMQ Queue whose job reads survive malformed job data; see {@link RawDataJob}. */
export class RawDataQueue extends Queue {
  protected override get Job(): typeof Job {
    return RawDataJob;
  }
}

/** A BullMQ Worker whose job reads survive malformed job data; see {@link RawDataJob}. */
export class RawDataWorker extends Worker {
  protected override get Job(): typeof Job {
    return RawDataJob;
  }

  /** Reads each fetched job's hash through {@link sanitizeJobHash} before BullMQ parses it. */
  protected override createBackend(): void {
    super.createBackend();
    const backend = this.backend as unknown as ScriptRunner;
    const exec = backend.execCommand.bind(backend);
    backend.execCommand = async (client, name, args) => {
      const result = await exec(client, name, args);
      if (!FETCHING_SCRIPTS.has(name.split(':')[0] ?? '') || !Array.isArray(result)) return result;
      const [hash] = result as unknown[];
      if (!Array.isArray(hash)) return result;
      const sanitized = sanitizeJobHash(hash);
      return sanitized === hash ? result : [sanitized, ...result.slice(1)];
    };
  }
}
