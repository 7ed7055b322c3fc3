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
}
