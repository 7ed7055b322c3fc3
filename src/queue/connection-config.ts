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
   * Entries the in-process log keeps per stream (events that name a stream, for
   * `herald.replay()`, `deadLetters()`, `streams()`): the oldest go first; default 10000.
   */
  readonly maxLen?: number;
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

/** A node of a Redis Cluster to start from: any node works, the client finds the others. */
export interface RedisClusterNode {
  readonly host: string;
  readonly port: number;
}

/**
 * The ioredis `Cluster` settings a config may tune. Settings herald relies on (offline queue,
 * retries, read routing) are not here: it sets them itself, per role.
 */
export interface RedisClusterOptions {
  /** How long (ms) a slot-map refresh may take; ioredis default 1000. */
  readonly slotsRefreshTimeout?: number;
  /** How often (ms) the slot map is refreshed besides on MOVED; ioredis default 5000. */
  readonly slotsRefreshInterval?: number;
  /** How many MOVED/ASK redirects one command may follow; ioredis default 16. */
  readonly maxRedirections?: number;
  /** Waits (ms) before resending after a redirect, CLUSTERDOWN, TRYAGAIN or a failover. */
  readonly retryDelayOnMoved?: number;
  readonly retryDelayOnClusterDown?: number;
  readonly retryDelayOnTryAgain?: number;
  readonly retryDelayOnFailover?: number;
  /** Addresses the nodes announce, mapped to ones this process can reach (NAT, Docker). */
  readonly natMap?: Readonly<Record<string, RedisClusterNode>>;
}

/** A Redis Cluster connection: seed nodes and optional tuning. */
export interface RedisClusterConfig {
  readonly nodes: readonly RedisClusterNode[];
  readonly options?: RedisClusterOptions;
}

/**
 * Redis Cluster instead of one server (`url`/`host`/`port`): username, password and tls apply to
 * every node; db stays 0 (a cluster has no other).
 */
export interface RedisClusterFields {
  readonly cluster?: RedisClusterConfig;
}

/** A Sentinel to ask where the master is. */
export interface RedisSentinelAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * Redis Sentinel: the sentinels name the master, and clients follow it across a failover.
 * username, password, db and tls (top level) apply to the master; the `sentinel*` keys to the
 * sentinels.
 */
export interface RedisSentinelConfig {
  /** Sentinels to ask (any one that answers is enough; ioredis learns the others). */
  readonly sentinels: readonly RedisSentinelAddress[];
  /** The master group name the sentinels monitor (`sentinel monitor <name> ...`). */
  readonly name: string;
  /** Only `'master'`: every herald command writes, and a replica refuses writes. */
  readonly role?: 'master';
  readonly sentinelUsername?: string;
  readonly sentinelPassword?: string;
  /** TLS to the sentinels (true for defaults). */
  readonly sentinelTls?: boolean | Record<string, unknown>;
  /** How long (ms) a question to a sentinel may take. */
  readonly sentinelCommandTimeout?: number;
  /**
   * Also listen for the sentinels' `+switch-master` and reconnect at once (ioredis'
   * failoverDetector); default false: the old master closing its clients has the same effect.
   */
  readonly failoverDetector?: boolean;
  /** Addresses the sentinels report, mapped to ones this process can reach (NAT, Docker). */
  readonly natMap?: Readonly<Record<string, RedisSentinelAddress>>;
}

/** Redis Sentinel instead of one server (`url`/`host`/`port`) or a cluster. */
export interface RedisSentinelFields {
  readonly sentinel?: RedisSentinelConfig;
}

/**
 * What herald asks a `createClient` for: `'producer'` pushes and appends (and serves the admin
 * commands), `'worker'` is what a worker's connections are made from (herald and BullMQ
 * `duplicate()` it for each blocking reader; it is never used for commands itself).
 */
export type RedisClientRole = 'producer' | 'worker';

/**
 * Makes the clients of a connection when config cannot say what is needed (a managed proxy,
 * custom TLS, an existing client's settings). Return a new ioredis `Redis` or `Cluster` per call:
 * herald owns it and disconnects it on close. herald cannot set options on your client, so
 * these are the rules, checked when the client is made:
 * - `'producer'`: `enableOfflineQueue: false` (else a dispatch while Redis is down hangs in
 *   memory and is lost in a crash instead of rejecting `queue_unavailable`), and a bounded
 *   `commandTimeout` and `maxRetriesPerRequest` (say 1); `lazyConnect: true` is advised.
 * - `'worker'`: `maxRetriesPerRequest: null` (blocking reads must wait; BullMQ requires it):
 *   a worker client with any other value is refused with `config_invalid`.
 */
export type RedisClientFactory = (role: RedisClientRole) => unknown;

/** The escape hatch, instead of url/host/port, cluster or sentinel. */
export interface RedisCreateClientFields {
  readonly createClient?: RedisClientFactory;
}

/** Durability of a dispatch beyond the master's own memory (asynchronous replication). */
export interface RedisReplicaFields {
  /**
   * A dispatch resolves only once this many replicas have its job (one `WAIT` per pipeline
   * after the push or append is acknowledged); else it rejects `queue_unavailable` saying how
   * many did, and the job may still exist. Default 0 (no wait): a failover right after a
   * dispatch can then lose its job. Not on Redis Cluster.
   */
  readonly waitForReplicas?: number;
  /** How long (ms) that `WAIT` may take; default the connection's `unavailableTimeout`. */
  readonly waitForReplicasTimeout?: number;
}

/** Every way a Redis-backed connection says where Redis is, and its replica wait. */
export interface RedisTargetFields
  extends RedisConnectionFields,
    RedisClusterFields,
    RedisSentinelFields,
    RedisCreateClientFields,
    RedisReplicaFields {}

/** BullMQ on Redis. */
export interface BullMqConnectionConfig extends RedisTargetFields {
  readonly driver: 'bullmq';
  /**
   * BullMQ key prefix; default `'herald'`. On Redis Cluster a prefix with a hash tag
   * (`'{herald}'`) keeps every queue of the connection on one shard; one without gives each
   * queue its own tag (`herald:{<queue>}`), so the queues spread over the shards.
   */
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
export interface StreamsConnectionConfig extends RedisTargetFields {
  readonly driver: 'streams';
  /**
   * Key prefix of every stream; default `'herald'`. On Redis Cluster each partition gets its own
   * hash tag, so partitions spread over the shards; a prefix with a hash tag (`{herald}`) keeps
   * every key of the connection in that one slot instead.
   */
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
