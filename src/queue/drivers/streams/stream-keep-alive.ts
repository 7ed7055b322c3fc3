import type { RedisClient } from '../../redis/redis-client.js';
import type { Work } from './stream-work.js';

/**
 * Keeps the entries of running attempts from looking stale. Other workers of the group claim an
 * entry pending and idle longer than `claimAfter` (XAUTOCLAIM: its consumer died), but an attempt
 * that simply runs that long is alive. One timer per consumer, every third of `claimAfter`,
 * re-claims for this consumer (XCLAIM ... JUSTID: the idle time restarts, the delivery count does
 * not grow) every entry running since the previous tick, one XCLAIM per partition stream. It asks
 * for entries idle at least half a tick: one another consumer took meanwhile is not taken back
 * (theirs now, it is dropped from the set) (test/integration/streams/streams-claim.test.ts).
 */
export class KeepAlive {
  readonly #redis: RedisClient;
  readonly #group: string;
  readonly #consumer: string;
  readonly #every: number;
  /** Running attempts' entries → when they were last claimed (epoch ms). */
  readonly #running = new Map<Work, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(redis: RedisClient, group: string, consumer: string, claimAfter: number) {
    this.#redis = redis;
    this.#group = group;
    this.#consumer = consumer;
    this.#every = Math.max(50, Math.floor(claimAfter / 3));
  }

  /** The entry's attempt starts. */
  add(item: Work): void {
    this.#running.set(item, Date.now());
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => void this.#tick(), this.#every);
    this.#timer.unref();
  }

  /** The entry's attempt ended. */
  delete(item: Work): void {
    this.#running.delete(item);
    if (this.#running.size > 0 || this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #tick(): Promise<void> {
    const now = Date.now();
    const byKey = new Map<string, Work[]>();
    for (const [item, since] of this.#running) {
      if (now - since < this.#every) continue;
      const items = byKey.get(item.at.key);
      if (items === undefined) byKey.set(item.at.key, [item]);
      else items.push(item);
    }
    await Promise.all(
      [...byKey].map(async ([key, items]) => {
        const minIdle = Math.floor(this.#every / 2);
        const ids = items.map((item) => item.entry.id);
        // A failed re-claim (Redis away) is retried on the next tick; the entry is still ours.
        const reply = await this.#redis
          .call('XCLAIM', key, this.#group, this.#consumer, minIdle, ...ids, 'JUSTID')
          .catch(() => undefined);
        if (!Array.isArray(reply)) return;
        const kept = new Set(reply.map(String));
        for (const item of items) {
          if (!this.#running.has(item)) continue;
          if (kept.has(item.entry.id)) this.#running.set(item, now);
          else this.#running.delete(item);
        }
      }),
    );
  }
}
