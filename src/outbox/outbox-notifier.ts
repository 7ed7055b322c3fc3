import type { OutboxPool } from '../config/config-types.js';

/**
 * Sends the NOTIFY that wakes the relays after a `herald/pg` transaction committed outbox rows,
 * on the outbox pool, outside that transaction. Why outside: a transaction that notifies makes
 * PostgreSQL take a global lock at its commit, so committing transactions queue behind each other.
 *
 * At most one NOTIFY is in flight per app; commits arriving meanwhile are coalesced into one more
 * NOTIFY sent after it (the one in flight may have been delivered before their rows committed).
 * Fire-and-forget: errors are ignored, as relays poll as the fallback.
 */
export class OutboxNotifier {
  readonly #pool: () => Promise<OutboxPool>;
  readonly #statement: string;
  #inFlight: Promise<void> | undefined;
  #again = false;
  #closed = false;

  /** @param pool the outbox pool (made on first use). @param channel the LISTEN channel. */
  constructor(pool: () => Promise<OutboxPool>, channel: string) {
    this.#pool = pool;
    this.#statement = `NOTIFY ${channel}`;
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
    do {
      this.#again = false;
      try {
        const pool = await this.#pool();
        await pool.query(this.#statement);
      } catch {
        // Ignored: a relay finds the rows at its next poll.
      }
    } while (this.#again && !this.#closed);
    this.#inFlight = undefined;
  }

  /** Sends no more; resolves once the NOTIFY in flight (if any) finished, so the pool can end. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#inFlight;
  }
}
