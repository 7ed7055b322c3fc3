import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Herald } from '../../../../src/index.js';
import { type RedisServerHandle, startRedisServer } from '../../../support/redis-server.js';

/** What a streams test file shares: its private redis-server, a client on it, the apps it booted. */
export interface StreamRedis {
  readonly server: RedisServerHandle;
  readonly redis: Redis;
  /** Apps booted by a test: closed after each test. */
  readonly apps: Herald[];
}

/**
 * Starts a private redis-server for the calling describe block (and a client on it), closes the
 * apps a test pushed to `apps` after each test, and stops the server at the end. Read its fields
 * inside tests and hooks (they are set in beforeAll).
 */
export function useStreamRedis(): StreamRedis {
  const state = { apps: [] as Herald[] } as { server: RedisServerHandle; redis: Redis; apps: Herald[] };
  beforeAll(async () => {
    state.server = await startRedisServer();
    state.redis = new Redis(state.server.url);
  });
  afterEach(async () => {
    await Promise.all(state.apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    state.redis.disconnect();
    await state.server.stop();
  });
  return state;
}

/** A stream entry's flat field list (XRANGE) as a record. */
export function record(fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let index = 0; index < fields.length; index += 2)
    out[fields[index] as string] = fields[index + 1] as string;
  return out;
}
