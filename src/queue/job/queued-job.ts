import type { BackoffOption } from '../../listeners/listener-options.js';
import type { JobPayload } from './job-payload.js';

/** How a driver should treat one job: read from the listener's options and methods at dispatch. */
export interface JobOptions {
  /** Queue name; undefined = the connection's default queue. */
  readonly queue: string | undefined;
  /** Delay in ms before the first attempt. */
  readonly delay: number;
  /** Attempts in all. */
  readonly tries: number;
  readonly backoff: BackoffOption | undefined;
  /** Per-attempt time limit in ms. */
  readonly timeout: number | undefined;
  readonly priority: number | undefined;
  /** Epoch ms after which no new attempt starts. */
  readonly retryUntil: number | undefined;
  /** Deduplication: at most one pending job per id. */
  readonly unique: { readonly id: string; readonly ttl: number | undefined } | undefined;
}

/** Where a log driver (`streams`) appends a job's event, from `@Event(name, { stream, key })`. */
export interface JobStream {
  /** The stream's name; undefined = the event's wire name. */
  readonly name: string | undefined;
  /** What the event's `key(event)` returned, as text; undefined = partition 0. */
  readonly key: string | undefined;
}

/** A job ready to be pushed to a queue. */
export interface QueuedJob {
  readonly data: JobPayload;
  readonly options: JobOptions;
  /** Set when the event declares stream options; queue drivers ignore it. */
  readonly stream?: JobStream | undefined;
  /**
   * Set for an `ordered: true` listener: its jobs of one event key run one at a time, in order
   * (drivers that honour it: memory, streams; the others refuse the option at boot).
   */
  readonly ordered?: true | undefined;
}
