import { Job, type JobJson, type JobProgress, Queue, Worker } from 'bullmq';

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
  static override fromJSON<T = unknown, R = unknown, N extends string = string>(
    queue: JobQueue,
    json: JobJson,
    jobId?: string,
  ): Job<T, R, N> {
    try {
      return super.fromJSON<T, R, N>(queue, json, jobId);
    } catch (error) {
      if (typeof json.data !== 'string' || isJson(json.data)) throw error;
      // The data becomes the raw text itself (a JSON string of it), which readJobPayload refuses.
      return super.fromJSON<T, R, N>(queue, { ...json, data: JSON.stringify(json.data) }, jobId);
    }
  }
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
}
