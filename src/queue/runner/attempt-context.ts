import type { ListenerContext } from '../../listeners/listener-context.js';
import type { LazyAbort } from './lazy-abort.js';

/**
 * The `ctx` of one queued attempt. A class, not an object literal: V8 builds a literal with a
 * `signal` getter through the runtime rather than from a boilerplate, which shows in a worker's
 * per-job time (`npm run bench:queue`). `release` and `fail` are own arrow functions, so a
 * listener may destructure them (the conformance suite does: ReleasesOnce and FailsNow in
 * test/conformance/fixtures/attempt-listeners.ts); `signal` is made on first read (lazy-abort.ts).
 */
export class AttemptContext implements ListenerContext {
  readonly attempt: number;
  readonly maxTries: number;
  readonly jobId: string;
  readonly queue: string;
  readonly eventName: string;
  /** What `release()` asked for, read by the runner after the attempt. */
  released: number | undefined;
  /** What `fail()` asked for, read by the runner after the attempt. */
  failedWith: Error | undefined;
  readonly #abort: LazyAbort;

  constructor(
    attempt: number,
    maxTries: number,
    jobId: string,
    queue: string,
    eventName: string,
    abort: LazyAbort,
  ) {
    this.attempt = attempt;
    this.maxTries = maxTries;
    this.jobId = jobId;
    this.queue = queue;
    this.eventName = eventName;
    this.#abort = abort;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  readonly release = (delayMs = 0): void => {
    this.released = Math.max(0, delayMs);
  };

  readonly fail = (error?: Error | string): void => {
    this.failedWith = error instanceof Error ? error : new Error(error ?? 'Failed by the listener.');
  };
}
