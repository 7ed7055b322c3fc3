import { isAbsolute } from 'node:path';
import { Container } from 'inversify';
import { HeraldError } from '../errors.js';
import { loggerProblem } from '../logging/herald-logger.js';
import { DRIVER_NAMES, findDescriptor } from '../queue/drivers/descriptors.js';
import type { ConnectionConfig, HeraldConfig } from './config-types.js';
import { type ValidatedOutboxConfig, validateOutbox } from './validate-outbox.js';
import { validateMaxPayloadBytes } from './validate-payload-limit.js';

const TOP_KEYS = [
  'root',
  'discover',
  'listeners',
  'events',
  'container',
  'queue',
  'streams',
  'paths',
  'logger',
  'outbox',
];
const STREAMS_KEYS = ['default'];
const QUEUE_KEYS = ['default', 'connections'];
const PATH_KEYS = ['events', 'listeners', 'subscribers'];
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
export function validateConfig(config: unknown): ValidatedQueueConfig {
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
  const badLogger = c.logger === undefined ? undefined : loggerProblem(c.logger);
  if (badLogger !== undefined) invalid('logger', badLogger);
  if (c.paths !== undefined) {
    if (!isRecord(c.paths)) invalid('paths', 'must be an object like { events: "src/events" }');
    onlyKeys(c.paths, PATH_KEYS, 'paths');
    for (const [key, value] of Object.entries(c.paths)) {
      if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
        invalid(`paths.${key}`, 'must be a folder path');
    }
  }
  const queue = validateQueue(c.queue);
  const streamsDefault = validateStreams(c.streams, queue.connections);
  const outbox = validateOutbox(c.outbox);
  return {
    ...queue,
    ...(streamsDefault === undefined ? {} : { streamsDefault }),
    ...(outbox === undefined ? {} : { outbox }),
  };
}

/** The queue settings a valid config yields, defaults filled in. */
export interface ValidatedQueueConfig {
  readonly defaultConnection: string;
  readonly connections: Readonly<Record<string, ConnectionConfig>>;
  /** `streams.default`, when the config sets it. */
  readonly streamsDefault?: string;
  /** `outbox`, defaults filled in, when the config has one. */
  readonly outbox?: ValidatedOutboxConfig;
}

/** `streams: { default }` must name a configured `streams` (or `memory`, in tests) connection. */
function validateStreams(
  streams: unknown,
  connections: Readonly<Record<string, ConnectionConfig>>,
): string | undefined {
  if (streams === undefined) return undefined;
  if (!isRecord(streams)) invalid('streams', "must be an object like { default: 'log' }");
  onlyKeys(streams, STREAMS_KEYS, 'streams');
  const name = streams.default;
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || !Object.hasOwn(connections, name)) {
    invalid(
      'streams.default',
      `names the connection ${JSON.stringify(name)}, which is not configured (known: ${Object.keys(connections).join(', ')}); add it under queue.connections with driver 'streams'`,
    );
  }
  const driver = connections[name]?.driver;
  if (driver !== 'streams' && driver !== 'memory') {
    invalid(
      'streams.default',
      `names the connection "${name}" (driver ${driver}), which cannot hold a stream: name a connection with driver 'streams' (or 'memory' in tests)`,
    );
  }
  return name;
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
  const descriptor = findDescriptor(connection.driver);
  if (descriptor === undefined) {
    invalid(
      `${where}.driver`,
      `must be one of ${DRIVER_NAMES.join(', ')} (got ${JSON.stringify(connection.driver)})`,
    );
  }
  onlyKeys(connection, descriptor.configKeys, where);
  // The keys every driver has; the driver's own keys are its descriptor's to check.
  if (
    connection.queue !== undefined &&
    (typeof connection.queue !== 'string' || connection.queue === '' || connection.queue.includes(':'))
  ) {
    invalid(`${where}.queue`, "must be a queue name without ':'");
  }
  validateMaxPayloadBytes(connection.maxPayloadBytes, where);
  descriptor.validate(connection, where);
  return connection as unknown as ConnectionConfig;
}
