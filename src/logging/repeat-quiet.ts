/** How long one distinct message stays quiet after it was logged (outages repeat them). */
const REPEAT_QUIET_MS = 10_000;
/** Distinct messages remembered for that; bounded, a worker runs for weeks. */
const MAX_REMEMBERED = 100;

/**
 * Lets each distinct message through once per {@link REPEAT_QUIET_MS}: a Redis outage makes the
 * client report the same connection error every retry, which would bury the log.
 */
export class RepeatQuiet {
  readonly #recent = new Map<string, number>();

  /** Whether `message` may be logged now (and remembers that it was). */
  allows(message: string): boolean {
    const now = Date.now();
    const last = this.#recent.get(message);
    if (last !== undefined && now - last < REPEAT_QUIET_MS) return false;
    if (this.#recent.size >= MAX_REMEMBERED) this.#recent.clear();
    this.#recent.set(message, now);
    return true;
  }
}
