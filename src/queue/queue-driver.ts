import type { QueuedJob } from './job-options.js';

/**
 * A queue connection's implementation (`sync`, `memory`, `bullmq`). Drivers move jobs; the
 * shared JobRunner decides what an attempt means, so retries and `failed()` behave alike.
 */
export interface QueueDriver {
  /** The connection name from config. */
  readonly connection: string;
  /**
   * True when `push` runs the job before it resolves (the sync driver): the dispatcher then
   * awaits each push in listener order instead of collecting them.
   */
  readonly inline: boolean;
  /** Resolves once the queue has acknowledged the job (stored it, or ran it for `sync`). */
  push(job: QueuedJob): Promise<void>;
  /** Whether nothing is waiting, delayed or active in this process right now. */
  isIdle(): boolean;
  /** Resolves when nothing is waiting, delayed or active in this process's queues. */
  drain(): Promise<void>;
  /** Releases connections and timers; idempotent. */
  close(): Promise<void>;
}
