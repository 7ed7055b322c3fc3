import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createHerald, type Herald, type HeraldConfig } from '../../../src/index.js';
import type { AnyClass } from '../../../src/metadata/class-types.js';
import {
  type RedisServerHandle,
  type StartRedisServerOptions,
  startRedisServer,
} from '../../support/redis-server.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import {
  createTempProject,
  type RunOptions,
  type RunResult,
  readLines,
  type TempProject,
} from '../../support/temp-project.js';
import { waitFor } from '../../support/wait-for.js';

export { waitFor };

/** The one queue every fault test's listeners use. */
export const FAULT_QUEUE = 'faults';

/**
 * Small lock settings so a dead worker's jobs come back in ~1.5 s instead of BullMQ's 90 s, and a
 * small `unavailableTimeout` so dispatches during an outage reject fast (1 s rather than 0.5 s:
 * with `appendfsync always` on a busy CI disk, a live Redis must never look unavailable).
 */
export const FAULT_LOCKS = { lockDuration: 1000, stalledInterval: 500, unavailableTimeout: 1000 } as const;

/**
 * The project's config: every connection setting comes from env, so tests own their Redis.
 * `connection` replaces or adds connection settings (a value `undefined` drops the key, so a
 * test can run on herald's default for it).
 */
export function faultProjectConfig(connection: ConnectionSettings = {}): string {
  const lines = Object.entries(connectionSettings(connection)).map(
    ([key, value]) => `        ${key}: ${value},`,
  );
  return `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: {
    default: 'redis',
    connections: {
      redis: {
        driver: 'bullmq',
        url: process.env.FAULT_REDIS_URL,
        prefix: process.env.FAULT_PREFIX,
${lines.join('\n')}
      },
    },
  },
});
`;
}

/** Connection settings a test replaces or adds; a value `undefined` drops the key. */
export type ConnectionSettings = Readonly<Record<string, number | undefined>>;

/** FAULT_LOCKS with `connection` laid over them, the keys set to `undefined` left out. */
function connectionSettings(connection: ConnectionSettings): Record<string, number> {
  const settings: Record<string, number> = {};
  for (const [key, value] of Object.entries({ ...FAULT_LOCKS, ...connection })) {
    if (value !== undefined) settings[key] = value;
  }
  return settings;
}

/** A `herald` child process with its output collected and its exit observable. */
export interface HeraldProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Settles with the exit code and signal; never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True once the process has exited. */
  hasExited(): boolean;
}

/** One fault test's private world: its own redis-server, temp project, prefix and output file. */
export interface FaultEnv {
  readonly redis: RedisServerHandle;
  readonly project: TempProject;
  readonly prefix: string;
  /** Absolute path of the file the project's listeners append to. */
  readonly outFile: string;
  /** Env for every herald command of this test. */
  readonly env: Record<string, string>;
  /**
   * A config for an app in the test process, equal to the project's when given the same
   * `connection` settings as {@link faultProjectConfig}.
   */
  config(listeners: readonly AnyClass[], connection?: ConnectionSettings): HeraldConfig;
  /** Boots an app in the test process on {@link FaultEnv.config} (closed by cleanup). */
  app(listeners: readonly AnyClass[], connection?: ConnectionSettings): Promise<Herald>;
  /** Overwrites one field of a stored job's Redis hash, as no BullMQ call would write it. */
  writeJobField(jobId: string, field: string, value: string): Promise<void>;
  /** Starts `herald <args>` in the project (tracked, so cleanup kills it if a test did not). */
  spawnHerald(args: readonly string[], env?: Record<string, string>): HeraldProcess;
  /** Runs `herald <args>` to completion. */
  herald(args: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Lines the listeners wrote so far. */
  lines(): string[];
  /** BullMQ's job counts of the fault queue (a fresh connection each call). */
  counts(): Promise<Record<string, number>>;
  /** A raw BullMQ queue on the same prefix and queue (closed by cleanup). */
  rawQueue(): Queue;
  /** Closes the apps, kills leftover children, stops Redis, removes the project. Idempotent. */
  cleanup(): Promise<void>;
}

/** Starts a private Redis and a temp project whose listener files are `listeners` (path → source). */
export async function createFaultEnv(
  listeners: Record<string, string>,
  redisOptions: StartRedisServerOptions = {},
): Promise<FaultEnv> {
  const redis = await startRedisServer(redisOptions);
  const project = createTempProject('herald-fault');
  project.write('herald.config.ts', faultProjectConfig());
  for (const [path, source] of Object.entries(listeners)) project.write(path, source);
  const prefix = uniqueQueueName('fault');
  const outFile = join(project.dir, 'out.log');
  const env = { FAULT_REDIS_URL: redis.url, FAULT_PREFIX: prefix, FAULT_OUT: outFile };
  const children = new Set<HeraldProcess>();
  const queues: Queue[] = [];
  const apps: Herald[] = [];
  let cleaning: Promise<void> | undefined;

  const connection = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };

  const config = (classes: readonly AnyClass[], settings: ConnectionSettings = {}): HeraldConfig => ({
    listeners: [...classes],
    queue: {
      default: 'redis',
      connections: { redis: { driver: 'bullmq', url: redis.url, prefix, ...connectionSettings(settings) } },
    },
  });

  return {
    redis,
    project,
    prefix,
    outFile,
    env,
    config,
    async app(classes, settings) {
      const app = await createHerald(config(classes, settings));
      apps.push(app);
      return app;
    },
    async writeJobField(jobId, field, value) {
      const client = new Redis(redis.url);
      try {
        await client.hset(`${prefix}:${FAULT_QUEUE}:${jobId}`, field, value);
      } finally {
        client.disconnect();
      }
    },
    spawnHerald(args, extra = {}) {
      const child = project.spawnHerald(args, { env: { ...env, ...extra } });
      const spawned = track(child);
      children.add(spawned);
      return spawned;
    },
    herald: (args, options = {}) =>
      project.herald(args, { timeoutMs: 15_000, ...options, env: { ...env, ...options.env } }),
    lines: () => readLines(outFile),
    async counts() {
      const queue = new Queue(FAULT_QUEUE, { connection, prefix });
      queue.on('error', () => {});
      try {
        return await queue.getJobCounts(
          'active',
          'wait',
          'waiting-children',
          'prioritized',
          'delayed',
          'failed',
          'completed',
        );
      } finally {
        await queue.close();
      }
    },
    rawQueue() {
      const queue = new Queue(FAULT_QUEUE, { connection, prefix });
      queue.on('error', () => {});
      queues.push(queue);
      return queue;
    },
    cleanup() {
      cleaning ??= (async () => {
        await Promise.allSettled(apps.map((app) => app.close()));
        for (const spawned of children) {
          if (!spawned.hasExited()) spawned.child.kill('SIGKILL');
        }
        await Promise.all([...children].map((spawned) => spawned.exited));
        await Promise.allSettled(queues.map((queue) => queue.close()));
        await redis.stop();
        project.remove();
      })();
      return cleaning;
    },
  };
}

function track(child: ChildProcess): HeraldProcess {
  let stdout = '';
  let stderr = '';
  let exited = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exitedPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
    child.once('error', () => {
      exited = true;
      resolve({ code: null, signal: null });
    });
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited: exitedPromise,
    hasExited: () => exited,
  };
}

/** Waits until a worker has printed its "working" banner (it is connected and fetching). */
export function waitUntilWorking(worker: HeraldProcess, timeoutMs = 15_000): Promise<void> {
  return waitFor('the worker to start', () => worker.stderr().includes('herald: working'), {
    timeoutMs,
    describe: () =>
      `worker exited: ${worker.hasExited()}\nstdout: ${worker.stdout()}\nstderr: ${worker.stderr()}`,
  });
}

/** Resolves with the process's exit, or rejects after `timeoutMs`. */
export async function exitWithin(
  worker: HeraldProcess,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `the herald process did not exit within ${timeoutMs} ms\nstdout: ${worker.stdout()}\nstderr: ${worker.stderr()}`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([worker.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}
