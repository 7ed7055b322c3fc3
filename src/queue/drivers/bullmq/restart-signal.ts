import type { Queue } from 'bullmq';

/**
 * The Redis key of a connection's restart signal (Laravel's `illuminate:queue:restart` cache
 * key), under the connection's prefix. BullMQ's keys are `<prefix>:<queue>:<name>` and its job
 * ids cannot hold `:`, so no queue or job of the connection can own this key.
 */
export function restartKey(prefix: string): string {
  return `${prefix}:herald:queue:restart`;
}

type RedisClient = Awaited<ReturnType<Queue['getBackend']>['client']>;

/**
 * `queue:restart` across processes: the command stores the time in the connection's restart
 * key; every worker remembers the value it saw when it started and stops (after its active jobs)
 * once the value changes.
 */
export class RestartSignal {
  readonly #client: () => Promise<RedisClient>;
  readonly #key: string;

  /** `client`: a connected Redis client of the connection. */
  constructor(client: () => Promise<RedisClient>, prefix: string) {
    this.#client = client;
    this.#key = restartKey(prefix);
  }

  /** Signals every worker of the connection to restart; returns the stored time (ms). */
  async send(): Promise<number> {
    const now = Date.now();
    await (await this.#client()).set(this.#key, String(now));
    return now;
  }

  /** The last restart signal (ms as text), or null when none was ever sent. */
  async read(): Promise<string | null> {
    return (await this.#client()).get(this.#key);
  }
}
