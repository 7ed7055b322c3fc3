import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisArgs } from './redis-server/args.js';
import { findFreePort } from './redis-server/free-port.js';
import { installExitHook, ownedDirs, type Spawned, spawnRedis } from './redis-server/process.js';
import { type StartOutcome, waitUntilReady } from './redis-server/readiness.js';
import type { RedisServerHandle, StartRedisServerOptions } from './redis-server/types.js';

export { findFreePort } from './redis-server/free-port.js';
// The public shapes live beside the pieces that use them; this module stays the one import path.
export type { RedisServerHandle, StartRedisServerOptions } from './redis-server/types.js';

const DEFAULT_BINARY = 'redis-server';
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 5;

/**
 * Start a private `redis-server` from PATH on a free 127.0.0.1 port with its own temp dir, and wait
 * until it answers PING. Tests use it so they never touch a developer's Redis on 6379, and fault
 * tests use `kill()`/`restart()` to simulate outages.
 *
 * @throws Error naming the install command when the binary is not on PATH.
 * @example
 * const redis = await startRedisServer({ appendonly: true });
 * const queue = new Queue(uniqueQueueName('jobs'), { connection: { url: redis.url } });
 * await redis.kill();
 * await redis.restart();
 * await redis.stop();
 */
export async function startRedisServer(options: StartRedisServerOptions = {}): Promise<RedisServerHandle> {
  installExitHook();
  const binary = options.binary ?? DEFAULT_BINARY;
  const host = options.host ?? DEFAULT_HOST;
  const timeoutMs = options.startupTimeoutMs ?? DEFAULT_STARTUP_TIMEOUT_MS;
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'herald-redis-')));
  if (ownsDir) ownedDirs.add(dir);

  const removeOwnedDir = async (): Promise<void> => {
    if (!ownsDir) return;
    ownedDirs.delete(dir);
    await rm(dir, { recursive: true, force: true });
  };

  /** Spawn on `port` and wait for PING; 'port-taken' lets the first start pick another port. */
  const launch = async (port: number): Promise<{ outcome: StartOutcome; spawned: Spawned }> => {
    const spawned = spawnRedis(binary, redisArgs(options, host, port, dir));
    const outcome = await waitUntilReady(spawned, binary, host, port, timeoutMs);
    return { outcome, spawned };
  };

  let current: Spawned | undefined;
  let port = options.port ?? 0;
  try {
    for (let attempt = 1; current === undefined; attempt++) {
      if (options.port === undefined) port = await findFreePort(host);
      const { outcome, spawned } = await launch(port);
      if (outcome.kind === 'ready') current = spawned;
      else if (options.port !== undefined || attempt >= PORT_ATTEMPTS) {
        throw new Error(`Port ${port} is already in use; \`${binary}\` could not bind it.\n${spawned.log()}`);
      }
    }
  } catch (error) {
    await removeOwnedDir();
    throw error;
  }

  let stopping: Promise<void> | undefined;

  const terminate = async (spawned: Spawned, graceful: boolean): Promise<void> => {
    if (spawned.hasExited()) return;
    spawned.child.kill(graceful ? 'SIGTERM' : 'SIGKILL');
    if (!graceful) return spawned.exited;
    // Redis flushes the AOF on SIGTERM; the grace period only guards against a wedged server.
    const timer = setTimeout(() => spawned.child.kill('SIGKILL'), STOP_GRACE_MS);
    await spawned.exited;
    clearTimeout(timer);
  };

  return {
    url: `redis://${host}:${port}`,
    host,
    port,
    dir,
    stop() {
      stopping ??= (async () => {
        if (current) await terminate(current, true);
        await removeOwnedDir();
      })();
      return stopping;
    },
    async kill() {
      if (current) await terminate(current, false);
    },
    async restart() {
      if (stopping) throw new Error(`The Redis server on port ${port} was stopped; start a new one instead.`);
      if (current) await terminate(current, true);
      const { outcome, spawned } = await launch(port);
      if (outcome.kind === 'port-taken') {
        throw new Error(`Cannot restart Redis: port ${port} was taken while it was down.\n${spawned.log()}`);
      }
      current = spawned;
    },
  };
}
