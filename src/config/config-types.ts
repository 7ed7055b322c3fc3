import type { Container } from 'inversify';
import type { HeraldLogger } from '../logging/herald-logger.js';
import type { AnyClass } from '../metadata/class-types.js';

export type {
  BullMqConnectionConfig,
  ConnectionConfig,
  MemoryConnectionConfig,
  RedisClientFactory,
  RedisClientRole,
  RedisClusterConfig,
  RedisClusterNode,
  RedisClusterOptions,
  RedisSentinelAddress,
  RedisSentinelConfig,
  StreamsConnectionConfig,
  SyncConnectionConfig,
} from '../queue/connection-config.js';

import type { ConnectionConfig } from '../queue/connection-config.js';

/** Queue connections and which one queued listeners use by default. */
export interface QueueConfig {
  /** Connection name used by queued listeners without `connection`; default `'memory'`. */
  readonly default?: string;
  readonly connections?: Readonly<Record<string, ConnectionConfig>>;
}

/** Which connection events that name a stream (`@Event(name, { stream })`) are appended to. */
export interface StreamsConfig {
  /**
   * A `streams` connection (or a `memory` one standing in for it in tests); default: the only
   * `streams` connection, else the default connection when it is `memory`.
   */
  readonly default?: string;
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
  readonly streams?: StreamsConfig;
  readonly paths?: PathsConfig;
  /**
   * Where herald logs (pino, or any object with `info`/`warn`/`error` taking `(fields, message)`):
   * boot warnings (`HERALD_NO_LISTENERS`, `HERALD_MANIFEST_STALE`) with their `code`, and every
   * worker's attempts, errors and warnings (see `WorkOptions.logger`). Default: none, so warnings
   * are process warnings and workers log only through their callbacks (`herald queue:work`
   * prints its own lines then).
   */
  readonly logger?: HeraldLogger;
  /** The transactional outbox (PostgreSQL); see {@link OutboxConfig}. */
  readonly outbox?: OutboxConfig;
}

/**
 * The part of a node-postgres `pg.Pool` the outbox uses (structural, so `pg` stays an optional
 * peer dependency: apps without an outbox never need its types).
 */
export interface OutboxPool {
  query(text: string, values?: unknown[]): Promise<{ readonly rows: unknown[] }>;
  connect(): Promise<OutboxPoolClient>;
}

/** A client checked out of an {@link OutboxPool} (node-postgres `PoolClient`). */
export interface OutboxPoolClient {
  query(text: string, values?: unknown[]): Promise<{ readonly rows: unknown[] }>;
  release(error?: Error | boolean): void;
  /** LISTEN's notifications, and errors of a held connection (the relay's wake-up client). */
  on(event: 'notification', listener: (message: { readonly channel: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The transactional outbox: queued pushes and stream appends made inside a transaction scope
 * become rows of `table` in that transaction; a relay moves committed rows to their queue.
 *
 * @example
 * outbox: { url: process.env.DATABASE_URL, table: 'herald_outbox' }
 */
export interface OutboxConfig {
  /** PostgreSQL URL the relay, `outbox:install` and `outbox:status` connect with (or `pool`). */
  readonly url?: string;
  /** Your node-postgres Pool instead of `url` (herald never ends it). */
  readonly pool?: OutboxPool;
  /** The outbox table, optionally schema-qualified; default `'herald_outbox'`. */
  readonly table?: string;
  /** How often (ms) a relay looks for rows when no notification woke it; default 5000. */
  readonly pollInterval?: number;
}
