import type { OutboxPool, OutboxPoolClient } from '../config/config-types.js';

/** How long a lost LISTEN connection waits before it connects again (ms). */
const RECONNECT_MS = 1000;

/**
 * Wakes a relay when a transaction that wrote outbox rows commits (`LISTEN`, on a connection of
 * its own held for as long as the relay runs), or when the poll interval passes: the fallback for
 * notifications lost while that connection was down. A lost connection is replaced after
 * {@link RECONNECT_MS}, and every (re)connect wakes the relay once, since rows may have been
 * committed while nobody listened.
 */
export class OutboxWakeup {
  readonly #pool: OutboxPool;
  readonly #channel: string;
  readonly #onError: (error: Error) => void;
  #client: OutboxPoolClient | undefined;
  #woken = false;
  #waiter: (() => void) | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(pool: OutboxPool, channel: string, onError: (error: Error) => void) {
    this.#pool = pool;
    this.#channel = channel;
    this.#onError = onError;
  }

  /** Connects and listens; resolves once listening or once the first attempt failed. */
  async start(): Promise<void> {
    if (this.#closed) return;
    let client: OutboxPoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      this.#lost(error);
      return;
    }
    if (this.#closed) {
      client.release();
      return;
    }
    // A held connection that dies emits 'error'; without a listener it would crash the process.
    client.on('error', (error) => {
      if (this.#client !== client) return;
      this.#client = undefined;
      client.release(error);
      this.#lost(error);
    });
    client.on('notification', (message) => {
      if (message.channel === this.#channel) this.wake();
    });
    try {
      await client.query(`LISTEN ${this.#channel}`);
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      this.#lost(error);
      return;
    }
    this.#client = client;
    this.wake();
  }

  #lost(error: unknown): void {
    if (this.#closed) return;
    this.#onError(error instanceof Error ? error : new Error(String(error)));
    this.#retry = setTimeout(() => void this.start(), RECONNECT_MS);
    this.#retry.unref();
  }

  /** Makes the next (or current) {@link wait} return at once. */
  wake(): void {
    this.#woken = true;
    this.#waiter?.();
  }

  /** Resolves on a notification, after `ms`, or on close; at once if woken since the last wait. */
  wait(ms: number): Promise<void> {
    if (this.#woken || this.#closed) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#waiter?.(), ms);
      this.#waiter = () => {
        clearTimeout(timer);
        this.#waiter = undefined;
        this.#woken = false;
        resolve();
      };
    });
  }

  /** Stops listening and ends any wait; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    // Destroys the connection rather than returning it: it is LISTENing.
    client?.release(true);
    this.#waiter?.();
  }
}
