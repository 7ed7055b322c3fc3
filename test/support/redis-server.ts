import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';

/** How a private test Redis is started. Every field is optional. */
export interface StartRedisServerOptions {
  /** Executable to run, looked up on PATH. Injectable so the missing-binary error is testable. */
  binary?: string;
  /** Interface to bind. Defaults to `127.0.0.1` so the server is never reachable from outside. */
  host?: string;
  /** Fixed port. Defaults to a free port picked by the OS (retried if another process grabs it). */
  port?: number;
  /** Data directory. Defaults to a fresh temp dir that `stop()` deletes; a given dir is left alone. */
  dir?: string;
  /** Turn the append-only file on, so data survives `kill()` + `restart()`. Defaults to `false`. */
  appendonly?: boolean;
  /**
   * fsync policy when `appendonly` is on. Defaults to `'always'`: fault tests assert that no
   * acknowledged write is lost across a SIGKILL, which only `always` guarantees.
   */
  appendfsync?: 'always' | 'everysec' | 'no';
  /** How long to wait for the server to answer PING. Defaults to 10 000 ms. */
  startupTimeoutMs?: number;
  /** Extra `redis-server` arguments, appended last so they win (e.g. `['--loglevel', 'debug']`). */
  args?: readonly string[];
}

/** A running private `redis-server` child process and the controls fault tests need. */
export interface RedisServerHandle {
  /** `redis://host:port`, ready for ioredis or BullMQ's `connection: { url }`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The server's data directory (where the AOF lives). */
  readonly dir: string;
  /**
   * Shut down gracefully (SIGTERM, SIGKILL after 5 s) and delete the temp dir if this helper made
   * it. Final and idempotent: every call returns the same promise, and `restart()` is refused after.
   */
  stop(): Promise<void>;
  /** Crash the server (SIGKILL) and wait for it to exit. The dir is kept, so `restart()` can follow. */
  kill(): Promise<void>;
  /**
   * Start the server again on the same port and dir, so AOF data comes back. Shuts a running server
   * down gracefully first; after `kill()` it just starts.
   */
  restart(): Promise<void>;
}

const DEFAULT_BINARY = 'redis-server';
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_STARTUP_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 5;
const LOG_LIMIT = 8_192;

/** Every child still alive, so the 'exit' hook can reap them even if a test forgot to stop one. */
const liveChildren = new Set<ChildProcess>();
/** Temp dirs we created and have not removed yet; removed synchronously on process exit. */
const ownedDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: kill() and rmSync() are. One shared listener, not one per
  // server, so suites that start many servers never trip MaxListenersExceededWarning.
  process.on('exit', () => {
    for (const child of liveChildren) child.kill('SIGKILL');
    for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  });
}

/** Thrown when the Redis binary cannot be run; the message names how to install it. */
function missingBinaryError(binary: string, cause: unknown): Error {
  return new Error(
    `Cannot run \`${binary}\`: it is not on PATH. herald's tests start their own private Redis. ` +
      'Install it with `apt-get install redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), ' +
      'or set HERALD_TEST_REDIS_URL to a Redis the tests may use and flush (never a production one).',
    { cause },
  );
}

/** Ask the OS for a free port. Another process may take it before redis binds it; callers retry. */
export async function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('could not read a free port'))));
    });
  });
}

/** One spawned process, with the tail of its output kept for error messages. */
interface Spawned {
  readonly child: ChildProcess;
  /** Settles when the process has exited (or failed to spawn). Never rejects. */
  readonly exited: Promise<void>;
  hasExited(): boolean;
  /** Spawn error (e.g. ENOENT), if the process never started. */
  spawnError(): NodeJS.ErrnoException | undefined;
  log(): string;
}

function spawnRedis(binary: string, args: readonly string[]): Spawned {
  let output = '';
  let exited = false;
  let error: NodeJS.ErrnoException | undefined;
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };

  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  liveChildren.add(child);
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const exitedPromise = new Promise<void>((resolve) => {
    const done = (): void => {
      exited = true;
      liveChildren.delete(child);
      resolve();
    };
    // 'close' rather than 'exit' so the last log lines are read before we report them.
    child.once('close', done);
    child.once('error', (err: NodeJS.ErrnoException) => {
      error = err;
      // A failed spawn emits 'error' and may never emit 'close'.
      if (child.pid === undefined) done();
    });
  });

  return {
    child,
    exited: exitedPromise,
    hasExited: () => exited,
    spawnError: () => error,
    log: () => output,
  };
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

type StartOutcome = { kind: 'ready' } | { kind: 'port-taken' };

async function waitUntilReady(
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

function redisArgs(options: StartRedisServerOptions, host: string, port: number, dir: string): string[] {
  const appendonly = options.appendonly ?? false;
  const args = [
    '--port',
    String(port),
    '--bind',
    host,
    '--dir',
    dir,
    // No RDB snapshots: tests never need them, and a snapshot fork under load only adds noise.
    '--save',
    '',
    '--appendonly',
    appendonly ? 'yes' : 'no',
    // BullMQ requires noeviction: an evicted job key is silently lost work.
    '--maxmemory-policy',
    'noeviction',
    // We own the lifecycle through the child process; a daemon would escape it.
    '--daemonize',
    'no',
  ];
  if (appendonly) args.push('--appendfsync', options.appendfsync ?? 'always');
  args.push(...(options.args ?? []));
  return args;
}

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
