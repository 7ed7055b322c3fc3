import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterEach } from 'vitest';
import { createHerald, type Herald } from '../../../src/index.js';
import type { AnyClass } from '../../../src/metadata/class-types.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';
import { HERALD_BIN, type RunResult, readLines, type TempProject } from '../../support/temp-project.js';

/**
 * A CLI test project on the shared test Redis: its config, the `herald` processes a test starts,
 * and one private world per test (a prefix, an output file, a dispatching app in this process).
 */

/**
 * The project's `herald.config.ts`: `redis` (BullMQ on TEST_REDIS_URL under TEST_PREFIX, so
 * each test picks its Redis keys by env) is the default connection; `memory` sits beside it
 * when asked for.
 */
export function redisProjectConfig({ memory = false }: { memory?: boolean } = {}): string {
  if (!memory) {
    return `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url: process.env.TEST_REDIS_URL, prefix: process.env.TEST_PREFIX } } },
});
`;
  }
  return `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: {
    default: 'redis',
    connections: {
      redis: { driver: 'bullmq', url: process.env.TEST_REDIS_URL, prefix: process.env.TEST_PREFIX },
      memory: { driver: 'memory' },
    },
  },
});
`;
}

/** A `herald` process a test started, with its output collected as it arrives. */
export interface HeraldProcess {
  readonly child: ChildProcess;
  readonly startedAt: number;
  stdout(): string;
  stderr(): string;
  /** When the "herald: working" banner arrived (the worker is connected), or undefined. */
  bannerAt(): number | undefined;
  /** Settles with the exit (and when it came); never rejects. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

export interface SpawnOptions {
  /** The env the test's own variables are laid over (default: this process's, NO_COLOR set). */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** Closes the child's stdout pipe at once, as a log reader that went away. */
  readonly closeStdout?: boolean;
}

/** One test's private world on the shared project. */
export interface ProjectWorld {
  readonly prefix: string;
  /** TEST_REDIS_URL, TEST_PREFIX and OUT_FILE (plus the extra env the world was made with). */
  readonly env: Record<string, string>;
  /** Lines the project's listeners wrote to OUT_FILE. */
  lines(): string[];
  /** An app in this process on the world's prefix, for dispatching (closed after the test). */
  dispatcher(): Promise<Herald>;
  /** BullMQ's job counts of a queue under the world's prefix. */
  counts(queueName: string): Promise<Record<string, number>>;
  /** Runs `herald <args>` in the project to completion. */
  run(args: readonly string[]): Promise<RunResult>;
  /** Starts `herald <args>` in the project (killed after the test if it still runs). */
  spawn(args: readonly string[], more?: Record<string, string>, options?: SpawnOptions): HeraldProcess;
}

/** The env temp-project children get (NO_COLOR set: output is plain whatever the stream). */
export function projectEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1' };
}

/**
 * Registers an afterEach that kills the processes, closes the apps and the queues the test's
 * worlds opened, and returns `world()`, which makes one. Call inside the describe; `project()`
 * gives the shared project, `listeners` are the dispatcher's classes (the project's wire names).
 */
export function useProjectWorlds(
  project: () => TempProject,
  { name, listeners }: { name: string; listeners: readonly AnyClass[] },
): (extra?: Record<string, string>) => ProjectWorld {
  let testIndex = 0;
  const processes: HeraldProcess[] = [];
  const apps: Herald[] = [];
  const queues: Queue[] = [];

  afterEach(async () => {
    for (const started of processes) started.child.kill('SIGKILL');
    await Promise.all(processes.splice(0).map((started) => started.exited));
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    await Promise.allSettled(queues.splice(0).map((queue) => queue.close()));
  });

  return (extra = {}) => {
    const prefix = uniqueQueueName(name);
    const outFile = join(project().dir, `out-${testIndex++}.log`);
    const env = { TEST_REDIS_URL: testRedisUrl(), TEST_PREFIX: prefix, OUT_FILE: outFile, ...extra };
    return {
      prefix,
      env,
      lines: () => readLines(outFile),
      async dispatcher() {
        const app = await createHerald({
          listeners: [...listeners],
          queue: {
            default: 'redis',
            connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix } },
          },
        });
        apps.push(app);
        return app;
      },
      counts(queueName) {
        const queue = new Queue(queueName, { connection: { url: testRedisUrl() }, prefix });
        queues.push(queue);
        return queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'completed', 'failed');
      },
      run: (args) => project().herald(args, { env, timeoutMs: 30_000 }),
      spawn(args, more = {}, options = {}) {
        const started = startHerald(project().dir, args, { ...env, ...more }, options);
        processes.push(started);
        return started;
      },
    };
  };
}

function startHerald(
  dir: string,
  args: readonly string[],
  env: Record<string, string>,
  { baseEnv = projectEnv(), closeStdout = false }: SpawnOptions,
): HeraldProcess {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [HERALD_BIN, ...args], {
    cwd: dir,
    env: { ...baseEnv, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (closeStdout) child.stdout?.destroy();
  let stdout = '';
  let stderr = '';
  let bannerAt: number | undefined;
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (bannerAt === undefined && stderr.includes('herald: working')) bannerAt = Date.now();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) => {
      child.once('close', (code, signal) => resolve({ code, signal, at: Date.now() }));
      child.once('error', () => resolve({ code: null, signal: null, at: Date.now() }));
    },
  );
  return { child, startedAt, stdout: () => stdout, stderr: () => stderr, bannerAt: () => bannerAt, exited };
}
