import { HeraldError } from '../../errors.js';
import type { AttemptOverrun } from './attempt.js';
import type { LazyAbort } from './lazy-abort.js';
import { clearLongTimeout, type LongTimer, setLongTimeout } from './long-timer.js';

/**
 * Runs a handler under its timeout. At the timeout `ctx.signal` aborts and the attempt fails
 * with a `timeout` error, but only once the handler has settled: a handler that ignores its
 * signal still holds its concurrency slot, and `failed()` or the next attempt wait for it
 * (conformance "timeout - a handler that ignores ctx.signal ..."). If it is still running
 * `overrun.graceMs` after the timeout, `overrun.onOverrun()` is told, so a worker can stop
 * taking jobs and exit (test/fault/timeout-overrun.test.ts).
 */
export async function runWithTimeout(
  run: () => unknown,
  timeout: number,
  abort: LazyAbort,
  name: string,
  overrun: AttemptOverrun | undefined,
): Promise<void> {
  let timer: LongTimer | undefined;
  let timedOut: HeraldError | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setLongTimeout(() => {
      timedOut = new HeraldError(
        'timeout',
        `${name} timed out after ${timeout} ms (its ctx.signal was aborted).`,
      );
      abort.abort(timedOut);
      resolve('expired');
    }, timeout);
  });
  const running = Promise.resolve().then(run);
  try {
    await Promise.race([running, expired]);
  } finally {
    clearLongTimeout(timer);
  }
  if (timedOut === undefined) return;
  let graceTimer: NodeJS.Timeout | undefined;
  if (overrun !== undefined) graceTimer = setTimeout(overrun.onOverrun, overrun.graceMs);
  try {
    await running;
  } catch {
    // The attempt already failed on its timeout; what the handler threw afterwards is moot.
  } finally {
    clearTimeout(graceTimer);
  }
  throw timedOut;
}
