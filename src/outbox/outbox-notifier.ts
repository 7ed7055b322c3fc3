import type { OutboxPool } from '../config/config-types.js';

/**
 * The least time between the starts of two NOTIFYs of one app. Without it, an app committing
 * thousands of transactions a second sent a NOTIFY back to back, each a transaction of its own
 * holding one of the pool's connections: bench:outbox measured the outbox row at 1.35x of a
 * transaction's time with them and 1.13x without. 10 ms is what a waiting relay may wake later.
 */
export const NOTIFY_GAP_MS = 10;

/**
 * Sends the NOTIFY that wakes the relays after a `herald/pg` transaction committed outbox rows,
 * on the outbox pool, outside that transaction. Why outside: a transaction that notifies makes
 * PostgreSQL take a global lock at its commit, so committing transactions queue behind each other.
 *
 * The first commit after a quiet spell is notified at once. Commits arriving while a NOTIFY is in
 * flight get one more after it (the one in flight may have been delivered before their rows
 * committed), sent {@link NOTIFY_GAP_MS} after the previous one started; every commit waiting by
 * then shares it. Fire-and-forget: errors are ignored, as relays poll as the fallback.
 */
export class OutboxNotifier {
  readonly #pool: () => Promise<OutboxPool>;
  readonly #statement: string;
  readonly #gapMs: number;
  #inFlight: Promise<void> | undefined;
  #again = false;
  #closed = false;
  /** Ends the wait before the next NOTIFY early (close: the last one goes out at once). */
  #cutWait: (() => void) | undefined;

  /**
   * @param pool the outbox pool (made on first use). @param channel the LISTEN channel.
   * @param gapMs least time between two NOTIFYs' starts (tests shorten or lengthen it).
   */
  constructor(pool: () => Promise<OutboxPool>, channel: string, gapMs = NOTIFY_GAP_MS) {
    this.#pool = pool;
    this.#statement = `NOTIFY ${channel}`;
    this.#gapMs = gapMs;
  }

  /** Asks for a NOTIFY: sent now, or once after the one in flight. */
  notify(): void {
    if (this.#closed) return;
    if (this.#inFlight !== undefined) {
      this.#again = true;
      return;
    }
    this.#inFlight = this.#send();
  }

  async #send(): Promise<void> {
    for (;;) {
      this.#again = false;
      const started = performance.now();
      try {
        const pool = await this.#pool();
        await pool.query(this.#statement);
      } catch {
        // Ignored: a relay finds the rows at its next poll.
      }
      if (!this.#again) break;
      await this.#wait(started + this.#gapMs - performance.now());
    }
    this.#inFlight = undefined;
  }

  #wait(ms: number): Promise<void> {
    if (ms <= 0 || this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#cutWait = () => {
        clearTimeout(timer);
        resolve();
      };
    }).finally(() => {
      this.#cutWait = undefined;
    });
  }

  /**
   * Takes no more requests; resolves once the NOTIFYs owed (the one in flight and, without
   * waiting out the gap, one for commits made meanwhile) are sent, so the pool can end.
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#cutWait?.();
    await this.#inFlight;
  }
}
