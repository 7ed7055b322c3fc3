import { HeraldError } from '../../errors.js';
import type { AttemptInfo } from './attempt.js';

/**
 * Why an attempt must not start, or undefined when it may. Laravel's rule, shared by every
 * driver: `ctx.attempt` counts *started* attempts (a crashed or killed attempt counts), so a
 * job picked up with more started attempts than `tries` gives up without running `handle`, and
 * `failed()` runs in its place (test/fault/double-kill.test.ts). A retry never starts after a
 * `retryUntil` deadline (the conformance `retryUntil()` cases); the first attempt always runs.
 */
export function refusalAtPickUp(info: AttemptInfo, listener: string): Error | undefined {
  const { retryUntil, tries } = info.options;
  const triesBound = retryUntil === undefined || info.triesBoundRetryUntil === true;
  if (triesBound && info.attempt > tries) {
    return new HeraldError(
      'job_failed',
      `${listener} has been attempted too many times: attempt ${info.attempt} would exceed its ${tries} tries, because an earlier attempt never reported back (its worker crashed, was killed, or stopped after a timeout). ${info.previousError === undefined ? '' : `Last error: ${info.previousError.message}. `}Raise \`tries\` if the listener may legitimately outlive a worker.`,
    );
  }
  if (retryUntil !== undefined && info.attempt > 1 && Date.now() >= retryUntil) {
    return (
      info.previousError ??
      new HeraldError(
        'job_failed',
        `${listener} passed its retryUntil deadline (${new Date(retryUntil).toISOString()}) before attempt ${info.attempt} could start.`,
      )
    );
  }
  return undefined;
}

/**
 * Whether the job may be tried again after this attempt, `delay` ms from now. With `retryUntil`,
 * the next attempt must *start* before the deadline, so a backoff that would land past it ends
 * the job now, with the real error (not at pick-up, where only a summary is left).
 */
export function hasAttemptsLeft(info: AttemptInfo, delay: number): boolean {
  const { retryUntil, tries } = info.options;
  if (retryUntil !== undefined) {
    const beforeDeadline = Date.now() + delay < retryUntil;
    return info.triesBoundRetryUntil === true ? beforeDeadline && info.attempt < tries : beforeDeadline;
  }
  return info.attempt < tries;
}
