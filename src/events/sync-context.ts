import { HeraldError } from '../errors.js';
import type { ListenerContext } from '../listeners/listener-context.js';

// Sync listeners run inside dispatch: nothing aborts them, so they share one inert signal.
const NEVER_ABORTED = new AbortController().signal;

const contexts = new Map<string, ListenerContext>();

function queuedOnly(method: string): never {
  throw new HeraldError(
    'unsupported',
    `ctx.${method}() only works in a queued listener: add { queue: true } to the listener to run it as a job.`,
  );
}

/**
 * The context handed to sync listeners: attempt 1 of 1, no job. Immutable, so one object per
 * event name is shared by every dispatch (this is on the hot path).
 */
export function syncContextFor(eventName: string): ListenerContext {
  let ctx = contexts.get(eventName);
  if (ctx === undefined) {
    ctx = Object.freeze({
      attempt: 1,
      maxTries: 1,
      jobId: undefined,
      queue: undefined,
      eventName,
      signal: NEVER_ABORTED,
      release: () => queuedOnly('release'),
      fail: () => queuedOnly('fail'),
    });
    contexts.set(eventName, ctx);
  }
  return ctx;
}
