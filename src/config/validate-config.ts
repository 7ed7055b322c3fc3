import { isAbsolute } from 'node:path';
import { Container } from 'inversify';
import { HeraldError } from '../errors.js';
import type { ConnectionConfig, HeraldConfig } from './config-types.js';
import { validateMaxPayloadBytes } from './validate-payload-limit.js';

const TOP_KEYS = ['root', 'discover', 'listeners', 'events', 'container', 'queue', 'paths'];
const QUEUE_KEYS = ['default', 'connections'];
const PATH_KEYS = ['events', 'listeners', 'subscribers'];
const DRIVER_KEYS: Record<string, readonly string[]> = {
  sync: ['driver', 'queue', 'maxPayloadBytes'],
  memory: ['driver', 'queue', 'concurrency', 'maxPayloadBytes'],
  bullmq: [
    'driver',
    'maxPayloadBytes',
    'url',
    'host',
    'port',
    'username',
    'password',
    'db',
    'tls',
    'prefix',
    'queue',
    'unavailableTimeout',
    'lockDuration',
    'stalledInterval',
    'maxStalledCount',
    'removeOnComplete',
    'removeOnFail',
  ],
};

/** The connections every app has unless the config replaces them. */
export const DEFAULT_CONNECTIONS: Readonly<Record<string, ConnectionConfig>> = {
  memory: { driver: 'memory' },
  sync: { driver: 'sync' },
};

function invalid(key: string, problem: string): never {
  throw new HeraldError('config_invalid', `herald config: "${key}" ${problem}.`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      invalid(
        where === '' ? key : `${where}.${key}`,
        `is not a config key (known: ${known.join(', ')}); check its spelling`,
      );
  }
}

/**
 * Checks a config object and throws `config_invalid` naming the bad key and the fix. Returns the
 * effective queue settings (defaults filled in).
 */
export function validateConfig(config: unknown): {
  defaultConnection: string;
  connections: Readonly<Record<string, ConnectionConfig>>;
} {
  if (config === undefined) config = {};
  if (!isRecord(config))
    throw new HeraldError(
      'config_invalid',
      'herald config must be an object: export default defineConfig({ ... }).',
    );
  onlyKeys(config, TOP_KEYS, '');
  const c = config as HeraldConfig & Record<string, unknown>;
  if (c.root !== undefined && (typeof c.root !== 'string' || !isAbsolute(c.root)))
    invalid('root', 'must be an absolute folder path');
  if (c.discover !== undefined) {
    if (
      !Array.isArray(c.discover) ||
      !c.discover.every((entry) => typeof entry === 'string' && entry.trim() !== '')
    ) {
      invalid('discover', "must be an array of folders or globs, e.g. ['src/listeners']");
    }
  }
  for (const key of ['listeners', 'events'] as const) {
    const list = c[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) invalid(key, 'must be an array of classes');
    list.forEach((entry, index) => {
      if (typeof entry !== 'function')
        invalid(
          `${key}[${index}]`,
          `must be a class, got ${entry === null ? 'null' : typeof entry} (is an import missing?)`,
        );
    });
  }
  if (c.container !== undefined && !(c.container instanceof Container) && typeof c.container !== 'function') {
    invalid('container', 'must be an inversify Container or a function returning one');
  }
  if (c.paths !== undefined) {
    if (!isRecord(c.paths)) invalid('paths', 'must be an object like { events: "src/events" }');
    onlyKeys(c.paths, PATH_KEYS, 'paths');
    for (const [key, value] of Object.entries(c.paths)) {
      if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
        invalid(`paths.${key}`, 'must be a folder path');
    }
  }
  return validateQueue(c.queue);
}

function validateQueue(queue: unknown): {
  defaultConnection: string;
  connections: Readonly<Record<string, ConnectionConfig>>;
} {
  if (queue === undefined) return { defaultConnection: 'memory', connections: DEFAULT_CONNECTIONS };
  if (!isRecord(queue))
    invalid('queue', "must be an object like { default: 'memory', connections: { ... } }");
  onlyKeys(queue, QUEUE_KEYS, 'queue');
  const connections: Record<string, ConnectionConfig> = { ...DEFAULT_CONNECTIONS };
  if (queue.connections !== undefined) {
    if (!isRecord(queue.connections)) invalid('queue.connections', 'must be an object of named connections');
    for (const [name, connection] of Object.entries(queue.connections)) {
      connections[name] = validateConnection(name, connection);
    }
  }
  const defaultConnection = queue.default ?? 'memory';
  if (typeof defaultConnection !== 'string' || !Object.hasOwn(connections, defaultConnection)) {
    invalid(
      'queue.default',
      `names the connection ${JSON.stringify(defaultConnection)}, which is not configured (known: ${Object.keys(connections).join(', ')}); add it under queue.connections`,
    );
  }
  return { defaultConnection, connections };
}

function validateConnection(name: string, connection: unknown): ConnectionConfig {
  const where = `queue.connections.${name}`;
  if (!isRecord(connection)) invalid(where, "must be an object like { driver: 'memory' }");
  // Own keys only: a driver named 'toString' or '__proto__' found Object.prototype members and
  // crashed with a TypeError instead of this config_invalid.
  const keys =
    typeof connection.driver === 'string' && Object.hasOwn(DRIVER_KEYS, connection.driver)
      ? DRIVER_KEYS[connection.driver]
      : undefined;
  if (keys === undefined) {
    invalid(
      `${where}.driver`,
      `must be one of ${Object.keys(DRIVER_KEYS).join(', ')} (got ${JSON.stringify(connection.driver)})`,
    );
  }
  onlyKeys(connection, keys, where);
  if (
    connection.queue !== undefined &&
    (typeof connection.queue !== 'string' || connection.queue === '' || connection.queue.includes(':'))
  ) {
    invalid(`${where}.queue`, "must be a queue name without ':'");
  }
  if (
    connection.concurrency !== undefined &&
    !(Number.isSafeInteger(connection.concurrency) && (connection.concurrency as number) >= 1)
  ) {
    invalid(`${where}.concurrency`, 'must be a whole number >= 1');
  }
  validateMaxPayloadBytes(connection.maxPayloadBytes, where);
  if (
    connection.url !== undefined &&
    (typeof connection.url !== 'string' || !/^rediss?:\/\//.test(connection.url))
  ) {
    invalid(`${where}.url`, 'must be a redis:// or rediss:// URL (is an environment variable unset?)');
  }
  if (
    connection.port !== undefined &&
    !(Number.isSafeInteger(connection.port) && (connection.port as number) > 0)
  ) {
    invalid(`${where}.port`, 'must be a port number');
  }
  if (
    connection.prefix !== undefined &&
    (typeof connection.prefix !== 'string' || connection.prefix === '')
  ) {
    invalid(`${where}.prefix`, 'must be a non-empty string');
  }
  return connection as unknown as ConnectionConfig;
}
