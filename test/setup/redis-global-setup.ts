import type { TestProject } from 'vitest/node';
import { type RedisServerHandle, startRedisServer } from '../support/redis-server.js';
import './provided-context.js';

/**
 * Why only HERALD_TEST_REDIS_URL and never REDIS_URL: REDIS_URL is commonly an app's (or a
 * developer's) real Redis, and the suite creates, obliterates and flushes queues at will.
 */
const OVERRIDE_ENV = 'HERALD_TEST_REDIS_URL';

/**
 * vitest globalSetup: runs once in the main process before any test file. Starts a private
 * `redis-server` on a free port (or uses `HERALD_TEST_REDIS_URL`) and provides its URL to tests as
 * `inject('redisUrl')`. The returned function is vitest's teardown and stops the server.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const override = process.env[OVERRIDE_ENV];
  if (override !== undefined && override !== '') {
    project.provide('redisUrl', override);
    return async () => {};
  }

  const server: RedisServerHandle = await startRedisServer();
  project.provide('redisUrl', server.url);
  return () => server.stop();
}
