import { invalidConnection } from '../driver-descriptor.js';

/** Every key `sentinel` may have, in the order the docs list them. */
export const SENTINEL_KEYS = [
  'sentinels',
  'name',
  'role',
  'sentinelUsername',
  'sentinelPassword',
  'sentinelTls',
  'sentinelCommandTimeout',
  'failoverDetector',
  'natMap',
] as const;

const SHAPE = "must be { sentinels: [{ host, port }, ...], name: '<master name>', ... }";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkAddress(address: unknown, where: string): void {
  if (!isRecord(address)) invalidConnection(where, 'must be { host, port }');
  const { host, port } = address;
  if (typeof host !== 'string' || host === '')
    invalidConnection(`${where}.host`, 'must be a host name or IP');
  if (!(typeof port === 'number' && Number.isSafeInteger(port) && port > 0 && port < 65536))
    invalidConnection(`${where}.port`, 'must be a port number (a sentinel listens on 26379 by default)');
  for (const key of Object.keys(address)) {
    if (key !== 'host' && key !== 'port')
      invalidConnection(`${where}.${key}`, 'is not an address key: use host and port');
  }
}

/** Checks the keys of `sentinel` other than its address list. */
function checkSettings(sentinel: Record<string, unknown>, key: string): void {
  const { name, role, sentinelUsername, sentinelPassword, sentinelTls, sentinelCommandTimeout } = sentinel;
  if (typeof name !== 'string' || name === '')
    invalidConnection(
      `${key}.name`,
      'must be the master name the sentinels monitor (`sentinel monitor <name> ...`)',
    );
  if (role !== undefined && role !== 'master') {
    invalidConnection(
      `${key}.role`,
      "must be 'master' or left out: every herald command writes, and a replica refuses writes",
    );
  }
  for (const [field, value] of Object.entries({ sentinelUsername, sentinelPassword })) {
    if (value !== undefined && typeof value !== 'string')
      invalidConnection(`${key}.${field}`, 'must be a string');
  }
  if (sentinelTls !== undefined && typeof sentinelTls !== 'boolean' && !isRecord(sentinelTls))
    invalidConnection(`${key}.sentinelTls`, 'must be true, false or TLS options');
  if (
    sentinelCommandTimeout !== undefined &&
    !(
      typeof sentinelCommandTimeout === 'number' &&
      Number.isSafeInteger(sentinelCommandTimeout) &&
      sentinelCommandTimeout > 0
    )
  ) {
    invalidConnection(`${key}.sentinelCommandTimeout`, 'must be a whole number of milliseconds >= 1');
  }
  if (sentinel.failoverDetector !== undefined && typeof sentinel.failoverDetector !== 'boolean')
    invalidConnection(`${key}.failoverDetector`, 'must be true or false');
  const { natMap } = sentinel;
  if (natMap !== undefined) {
    if (!isRecord(natMap)) invalidConnection(`${key}.natMap`, 'must map "host:port" to { host, port }');
    for (const [from, to] of Object.entries(natMap)) checkAddress(to, `${key}.natMap["${from}"]`);
  }
}

/**
 * Checks a Redis connection's `sentinel` key (throws `config_invalid` naming the key and the
 * fix): its shape, and that it does not come with a single server's `url`/`host`/`port` or a
 * `cluster` (the sentinels say where the master is).
 */
export function validateSentinel(connection: Readonly<Record<string, unknown>>, where: string): void {
  const { sentinel } = connection;
  if (sentinel === undefined) return;
  const key = `${where}.sentinel`;
  if (!isRecord(sentinel)) invalidConnection(key, SHAPE);
  for (const other of ['url', 'host', 'port', 'cluster'] as const) {
    if (connection[other] !== undefined) {
      invalidConnection(
        key,
        `cannot be combined with "${other}": the sentinels say where the master is. Remove "${other}" (username, password, db and tls apply to the master)`,
      );
    }
  }
  const { sentinels } = sentinel;
  if (!Array.isArray(sentinels) || sentinels.length === 0) invalidConnection(`${key}.sentinels`, SHAPE);
  sentinels.forEach((address, index) => {
    checkAddress(address, `${key}.sentinels[${index}]`);
  });
  checkSettings(sentinel, key);
  for (const extra of Object.keys(sentinel)) {
    if (!(SENTINEL_KEYS as readonly string[]).includes(extra))
      invalidConnection(`${key}.${extra}`, `is not a sentinel key: use ${SENTINEL_KEYS.join(', ')}`);
  }
}
