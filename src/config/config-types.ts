import type { Container } from 'inversify';
import type { AnyClass } from '../metadata/class-types.js';

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

/** BullMQ on Redis. */
export interface BullMqConnectionConfig {
  readonly driver: 'bullmq';
  /** `redis://[user:password@]host:port[/db]` or `rediss://` for TLS. */
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
  readonly username?: string;
  readonly password?: string;
  readonly db?: number;
  /** TLS options, or true for TLS with defaults (a `rediss://` url implies it). */
  readonly tls?: boolean | Record<string, unknown>;
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

/** One named queue connection. */
export type ConnectionConfig = SyncConnectionConfig | MemoryConnectionConfig | BullMqConnectionConfig;

/** Queue connections and which one queued listeners use by default. */
export interface QueueConfig {
  /** Connection name used by queued listeners without `connection`; default `'memory'`. */
  readonly default?: string;
  readonly connections?: Readonly<Record<string, ConnectionConfig>>;
}

/** Where the generators write files (relative to the config file). */
export interface PathsConfig {
  readonly events?: string;
  readonly listeners?: string;
  readonly subscribers?: string;
}

/** A container, or a function that builds one (sync or async). */
export type ContainerOption = Container | (() => Container | Promise<Container>);

/**
 * herald's configuration: what `defineConfig` returns and `createHerald` takes.
 *
 * @example
 * export default defineConfig({ discover: ['src/listeners'], queue: { default: 'memory' } });
 */
export interface HeraldConfig {
  /** Folder that `discover` and `paths` are relative to; default: the config file's folder. */
  readonly root?: string;
  /** Folders or globs whose modules are imported to find listeners, subscribers and events. */
  readonly discover?: readonly string[];
  /** Listener and subscriber classes registered without scanning. */
  readonly listeners?: readonly AnyClass[];
  /** Event (and `@Serializable`) classes registered without scanning. */
  readonly events?: readonly AnyClass[];
  /** Your inversify container, with your bindings; herald makes one when absent. */
  readonly container?: ContainerOption;
  readonly queue?: QueueConfig;
  readonly paths?: PathsConfig;
}
