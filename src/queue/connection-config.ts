/*
 * The config of each queue connection, by driver. These types live with the queue drivers that
 * read them (config/ re-exports them as part of HeraldConfig), so queue/ never imports config/.
 */

/** Runs queued listeners inline, inside `dispatch` (tests, scripts). */
export interface SyncConnectionConfig {
  readonly driver: 'sync';
  /** Queue name reported to listeners; default `'default'`. */
  readonly queue?: string;
  /**
   * Largest encoded event (JSON bytes) a job on this connection may carry; a larger one makes
   * `dispatch` reject with `payload_too_large`. Default 1048576 (1 MiB).
   */
  readonly maxPayloadBytes?: number;
}

/** In-process queue with the same delays, retries and `failed()` as Redis; not durable. */
export interface MemoryConnectionConfig {
  readonly driver: 'memory';
  /** Default queue name; default `'default'`. */
  readonly queue?: string;
  /** Jobs run at once per connection; default 10. */
  readonly concurrency?: number;
  /**
   * Largest encoded event (JSON bytes) a job on this connection may carry; a larger one makes
   * `dispatch` reject with `payload_too_large`. Default 1048576 (1 MiB).
   */
  readonly maxPayloadBytes?: number;
}

/** Where a Redis-backed connection (bullmq, streams) finds its server. */
export interface RedisConnectionFields {
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  /** TLS options, or true for TLS with defaults (a `rediss://` url implies it). */
  readonly tls?: boolean | Record<string, unknown>;
}

/** BullMQ on Redis. */
export interface BullMqConnectionConfig extends RedisConnectionFields {
  readonly driver: 'bullmq';
  /** BullMQ key prefix; use a hash tag like `{herald}` on Redis Cluster. Default `'herald'`. */
  readonly prefix?: string;
  /** Default queue name; default `'default'`. */
  readonly queue?: string;
  /**
   * Largest encoded event (JSON bytes) a job on this connection may carry; a larger one makes
   * `dispatch` reject with `payload_too_large`. Default 1048576 (1 MiB).
   */
  readonly maxPayloadBytes?: number;
  /**
   * How long (ms) `dispatch`, and a starting worker, wait for Redis before `queue_unavailable`;
   * default 5000.
   */
  readonly unavailableTimeout?: number;
  /**
   * Worker lock length (ms): a crashed worker's jobs are taken back within this plus
   * `stalledInterval`; default 30000.
   */
  readonly lockDuration?: number;
  /** How often (ms) workers look for jobs whose worker died; default a tenth of `lockDuration`. */
  readonly stalledInterval?: number;
  /**
   * How many times a job may be taken back from a dead worker before it fails (`failed()` runs);
   * default none: `tries` bounds crashed attempts, which count as attempts.
   */
  readonly maxStalledCount?: number;
  /** Completed jobs kept (count/age in seconds); default { count: 1000, age: 3600 }. */
  readonly removeOnComplete?: boolean | number | { readonly count?: number; readonly age?: number };
  /** Failed jobs kept for `queue:failed`; default { count: 10000, age: 7 days }. */
  readonly removeOnFail?: boolean | number | { readonly count?: number; readonly age?: number };
}

/**
 * Redis Streams: every dispatch of an event appends one entry to a durable log, and every
 * listener on the connection reads it through its own consumer group.
 */
export interface StreamsConnectionConfig extends RedisConnectionFields {
  readonly driver: 'streams';
  /** Key prefix of every stream; use a hash tag like `{herald}` on Redis Cluster. Default `'herald'`. */
  readonly prefix?: string;
  /** Streams per event stream; an event's `key(event)` picks one. Default 1. */
  readonly partitions?: number;
  /** Pending entries of a consumer idle this long (ms) are claimed by another; default 30000. */
  readonly claimAfter?: number;
  /** Entries a stream keeps at most (applied by workers, never past unacknowledged ones). */
  readonly maxLen?: number;
  /** Seconds an entry is kept at least (applied by workers, never past unacknowledged ones). */
  readonly maxAge?: number;
  /**
   * How long (ms) `dispatch`, and a starting worker, wait for Redis before `queue_unavailable`;
   * default 5000.
   */
  readonly unavailableTimeout?: number;
  /**
   * Largest encoded event (JSON bytes) an entry may carry; a larger one makes `dispatch` reject
   * with `payload_too_large`. Default 1048576 (1 MiB).
   */
  readonly maxPayloadBytes?: number;
}

/** One named queue connection. */
export type ConnectionConfig =
  | SyncConnectionConfig
  | MemoryConnectionConfig
  | BullMqConnectionConfig
  | StreamsConnectionConfig;
