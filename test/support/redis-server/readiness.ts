import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Spawned } from './process.js';

/** Waiting for a spawned `redis-server` to answer PING, and the errors when it does not. */

/** Thrown when the Redis binary cannot be run; the message names how to install it. */
function missingBinaryError(binary: string, cause: unknown): Error {
  return new Error(
    `Cannot run \`${binary}\`: it is not on PATH. herald's tests start their own private Redis. ` +
      'Install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), ' +
      'or set HERALD_TEST_REDIS_URL to a Redis the tests may use and flush (never a production one).',
    { cause },
  );
}

/**
 * One PING through ioredis, without retries. Resolves the answering server's pid, or undefined on
 * any failure (refused, -LOADING while the AOF is replayed, ...).
 */
async function pingOnce(host: string, port: number): Promise<number | undefined> {
  const client = new Redis({
    host,
    port,
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    // The poll loop is the retry; ioredis reconnecting on its own would outlive this check.
    retryStrategy: () => null,
  });
  // Without a listener ioredis prints "Unhandled error event" for every refused attempt.
  client.on('error', () => {});
  try {
    await client.connect();
    if ((await client.ping()) !== 'PONG') return undefined;
    const pid = /^process_id:(\d+)/m.exec(await client.info('server'))?.[1];
    return pid === undefined ? undefined : Number(pid);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** How a start attempt ended: ready, or another process holds the port (the caller may retry). */
export type StartOutcome = { kind: 'ready' } | { kind: 'port-taken' };

/**
 * Polls until `spawned` answers PING on `host:port`. Throws when the binary is missing, fails to
 * spawn, exits for another reason than a taken port, or stays silent for `timeoutMs`.
 */
export async function waitUntilReady(
  spawned: Spawned,
  binary: string,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<StartOutcome> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const spawnError = spawned.spawnError();
    if (spawnError?.code === 'ENOENT') throw missingBinaryError(binary, spawnError);
    if (spawnError) {
      throw new Error(`Could not start \`${binary}\`: ${spawnError.message}`, { cause: spawnError });
    }
    if (spawned.hasExited()) {
      if (/address already in use/i.test(spawned.log())) return { kind: 'port-taken' };
      throw new Error(
        `\`${binary}\` exited during startup (exit code ${spawned.child.exitCode ?? 'none'}, ` +
          `signal ${spawned.child.signalCode ?? 'none'}). Its output:\n${spawned.log()}`,
      );
    }
    // Only our own child counts: if another process won the port race, a PING would still succeed
    // (against its server) while ours is about to exit with "Address already in use".
    const pid = await pingOnce(host, port);
    if (pid !== undefined && pid === spawned.child.pid) return { kind: 'ready' };
    await sleep(20);
  }
  spawned.child.kill('SIGKILL');
  await spawned.exited;
  throw new Error(
    `\`${binary}\` on ${host}:${port} did not answer PING within ${timeoutMs} ms. Its output:\n${spawned.log()}`,
  );
}
