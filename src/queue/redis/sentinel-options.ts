import type { RedisOptions } from 'ioredis';
import type { RedisSentinelConfig } from '../connection-config.js';

/**
 * Replies that mean the server this client talks to is no longer the master (a failover demoted
 * it) or is in the middle of the switch: the command was not run, so the client reconnects,
 * asking the sentinels again, and the command itself fails (`queue_unavailable`, never resent:
 * a resent push could store its job twice).
 */
const SWITCHING = /READONLY|UNBLOCKED|MASTERDOWN|LOADING/;

/** ioredis' reconnectOnError for a Sentinel connection: 1 (reconnect, do not resend) on a switch. */
export function reconnectOnSwitch(error: Error): 1 | false {
  return SWITCHING.test(error.message) ? 1 : false;
}

/**
 * ioredis options that make a client find the master through the sentinels: the address list,
 * the master name, the sentinels' own login and TLS, and a reconnect on a demoted master.
 * username, password, db and tls of the connection apply to the master (redis-options.ts).
 */
export function sentinelOptions(sentinel: RedisSentinelConfig): RedisOptions {
  const options: RedisOptions = {
    sentinels: sentinel.sentinels.map(({ host, port }) => ({ host, port })),
    name: sentinel.name,
    role: 'master',
    reconnectOnError: reconnectOnSwitch,
    failoverDetector: sentinel.failoverDetector ?? false,
  };
  if (sentinel.sentinelUsername !== undefined) options.sentinelUsername = sentinel.sentinelUsername;
  if (sentinel.sentinelPassword !== undefined) options.sentinelPassword = sentinel.sentinelPassword;
  if (sentinel.sentinelCommandTimeout !== undefined)
    options.sentinelCommandTimeout = sentinel.sentinelCommandTimeout;
  if (sentinel.sentinelTls === true) options.sentinelTLS = {};
  else if (typeof sentinel.sentinelTls === 'object') options.sentinelTLS = sentinel.sentinelTls;
  if (sentinel.natMap !== undefined) options.natMap = { ...sentinel.natMap };
  return options;
}

/** `Redis Sentinel "name" (sentinels a:1, b:2)`, for messages. */
export function describeSentinel(sentinel: RedisSentinelConfig): string {
  const list = sentinel.sentinels.map(({ host, port }) => `${host}:${port}`).join(', ');
  return `Redis Sentinel master "${sentinel.name}" (sentinels ${list})`;
}
