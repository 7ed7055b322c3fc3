/**
 * Node's timers hold at most 2^31 - 1 ms (about 24.8 days): a longer `setTimeout` fires after
 * 1 ms with a TimeoutOverflowWarning. Every timer herald starts from a user's value (a delay,
 * a backoff, `ctx.release(ms)`, a per-attempt timeout) goes through this file, which chains
 * timers of at most that length until the full time has passed. Proved by
 * test/unit/dispatch/long-timer.test.ts and test/unit/dispatch/long-durations.test.ts.
 */
export const MAX_NODE_TIMER_MS = 2_147_483_647;

/** A pending long timer; pass it to {@link clearLongTimeout}. */
export interface LongTimer {
  /** The Node timer currently pending (one leg of the chain). */
  current: NodeJS.Timeout;
}

/**
 * Like `setTimeout(callback, ms)`, for any `ms` (an infinite `ms` never fires). The returned
 * handle stays the same across legs, so a caller can keep it in a set and clear it any time.
 *
 * @example
 * const timer = setLongTimeout(() => retry(), 30 * 24 * 3600 * 1000); // 30 days
 * clearLongTimeout(timer);
 */
export function setLongTimeout(callback: () => void, ms: number): LongTimer {
  const due = Date.now() + Math.max(0, ms);
  const handle = {} as LongTimer;
  const arm = (wait: number): void => {
    handle.current = setTimeout(
      () => {
        // Date.now() rather than counting legs: a suspended laptop resumes at the right time.
        const left = due - Date.now();
        if (left > 0 && wait === MAX_NODE_TIMER_MS) arm(Math.min(left, MAX_NODE_TIMER_MS));
        else callback();
      },
      Number.isFinite(wait) ? wait : MAX_NODE_TIMER_MS,
    );
  };
  arm(Math.min(Math.max(0, ms), MAX_NODE_TIMER_MS));
  return handle;
}

/** Cancels a timer made by {@link setLongTimeout}; a timer that already fired is ignored. */
export function clearLongTimeout(timer: LongTimer | undefined): void {
  if (timer !== undefined) clearTimeout(timer.current);
}
