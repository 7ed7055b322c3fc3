import type { RedisOptions } from 'ioredis';
import type { RedisConnectionFields } from '../connection-config.js';

/** The config keys of {@link RedisConnectionFields}, in the order the docs list them. */
export const REDIS_CONNECTION_KEYS = ['url', 'host', 'port', 'username', 'password', 'db', 'tls'] as const;

/**
 * ioredis options for a Redis-backed connection from its config: a `redis://` / `rediss://` url
 * (user, password, db, TLS) and/or discrete fields, the discrete ones winning.
 */
export function redisOptionsFrom(config: RedisConnectionFields): RedisOptions {
  const options: RedisOptions = {};
  if (config.url !== undefined) {
    const url = new URL(config.url);
    options.host = url.hostname.replace(/^\[|\]$/g, '');
    options.port = url.port === '' ? 6379 : Number(url.port);
    if (url.username !== '') options.username = decodeURIComponent(url.username);
    if (url.password !== '') options.password = decodeURIComponent(url.password);
    const db = url.pathname.replace(/^\//, '');
    if (db !== '') options.db = Number(db);
    if (url.protocol === 'rediss:') options.tls = {};
  }
  if (config.host !== undefined) options.host = config.host;
  if (config.port !== undefined) options.port = config.port;
  if (config.username !== undefined) options.username = config.username;
  if (config.password !== undefined) options.password = config.password;
  if (config.db !== undefined) options.db = config.db;
  if (config.tls === true) options.tls = {};
  else if (typeof config.tls === 'object') options.tls = config.tls;
  return options;
}

/** `host:port` for messages (never the password). */
export function describeRedis(options: RedisOptions): string {
  return `${options.host ?? '127.0.0.1'}:${options.port ?? 6379}`;
}
