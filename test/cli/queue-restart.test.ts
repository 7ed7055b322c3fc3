import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener } from '../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../support/redis-url.js';
import { createTempProject, HERALD_BIN, type TempProject } from '../support/temp-project.js';

/**
 * `herald queue:restart` stops running `herald queue:work` processes after their active jobs
 * (exit 0), and a worker whose log reader goes away stops the same way. Real binary, real Redis,
 * a project outside the repo; jobs are dispatched from this process under the same wire names.
 */

const LISTENERS = `
import { Event, Listener } from 'herald';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

@Event('restart.ping')
export class Ping { constructor(readonly n: number) {} }

@Listener(Ping, { queue: 'slow', name: 'SlowPing' })
export class SlowPing {
  async handle(event: Ping): Promise<void> {
    appendFileSync(process.env.OUT_FILE ?? 'out.log', 'start ' + event.n + ' ' + process.pid + '\\n');
    await sleep(Number(process.env.PING_SLEEP_MS ?? 0));
    appendFileSync(process.env.OUT_FILE ?? 'out.log', 'end ' + event.n + ' ' + process.pid + '\\n');
  }
}
`;

const CONFIG = `import { defineConfig } from 'herald';
export default defineConfig({
  discover: ['src/listeners'],
  queue: { default: 'redis', connections: { redis: { driver: 'bullmq', url: process.env.TEST_REDIS_URL, prefix: process.env.TEST_PREFIX } } },
});
`;

@Event('restart.ping')
class Ping {
  constructor(readonly n: number) {}
}

@Listener(Ping, { queue: 'slow', name: 'SlowPing' })
class SlowPing {
  handle(): void {}
}

interface Worker {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function waitFor(what: string, check: () => boolean, describe: () => string, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('stopping herald queue:work: queue:restart, a closed log reader (real binary, real Redis)', () => {
  let project: TempProject;
  let testIndex = 0;
  const workers: Worker[] = [];
  const apps: Herald[] = [];
  const queues: Queue[] = [];

  beforeAll(() => {
    project = createTempProject('herald-restart');
    project.write('herald.config.ts', CONFIG);
    project.write('src/listeners/ping.ts', LISTENERS);
  });
  afterEach(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    await Promise.all(workers.splice(0).map((worker) => worker.exited));
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    await Promise.allSettled(queues.splice(0).map((queue) => queue.close()));
  });
  afterAll(() => project?.remove());

  function world() {
    const prefix = uniqueQueueName('restart');
    const outFile = join(project.dir, `out-${testIndex++}.log`);
    const env = { TEST_REDIS_URL: testRedisUrl(), TEST_PREFIX: prefix, OUT_FILE: outFile };
    return {
      env,
      lines: (): string[] =>
        existsSync(outFile)
          ? readFileSync(outFile, 'utf8')
              .split('\n')
              .filter((line) => line !== '')
          : [],
      async dispatcher(): Promise<Herald> {
        const app = await createHerald({
          listeners: [SlowPing],
          queue: {
            default: 'redis',
            connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix } },
          },
        });
        apps.push(app);
        return app;
      },
      counts(): Promise<Record<string, number>> {
        const queue = new Queue('slow', { connection: { url: testRedisUrl() }, prefix });
        queues.push(queue);
        return queue.getJobCounts('wait', 'active', 'completed', 'failed');
      },
      spawn(
        args: readonly string[],
        more: Record<string, string> = {},
        stdout: 'pipe' | 'closed' = 'pipe',
      ): Worker {
        const child = spawn(process.execPath, [HERALD_BIN, ...args], {
          cwd: project.dir,
          env: { ...process.env, NO_COLOR: '1', ...env, ...more },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        if (stdout === 'closed') child.stdout?.destroy();
        let out = '';
        let err = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
        });
        child.stderr?.on('data', (chunk: Buffer) => {
          err += chunk.toString();
        });
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
          child.once('close', (code, signal) => resolve({ code, signal })),
        );
        const worker = { child, stdout: () => out, stderr: () => err, exited };
        workers.push(worker);
        return worker;
      },
      run: (args: readonly string[]) => project.herald(args, { env, timeoutMs: 30_000 }),
    };
  }

  it('queue:restart: every running worker finishes its active job, then exits 0', async () => {
    const w = world();
    const app = await w.dispatcher();
    const running = [
      w.spawn(['queue:work'], { PING_SLEEP_MS: '3000' }),
      w.spawn(['queue:work'], { PING_SLEEP_MS: '3000' }),
    ];
    for (const worker of running) {
      await waitFor('the worker to start', () => worker.stderr().includes('herald: working'), worker.stderr);
    }
    await app.dispatch(new Ping(1));
    await waitFor(
      'the job to start',
      () => w.lines().some((line) => line.startsWith('start 1 ')),
      () => running.map((worker) => worker.stderr()).join('\n---\n'),
    );

    const restart = await w.run(['queue:restart']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stdout).toContain('Restart signalled on redis');

    const exits = await Promise.all(running.map((worker) => worker.exited));
    for (const [i, exit] of exits.entries()) {
      expect(exit, running[i]?.stderr()).toMatchObject({ code: 0, signal: null });
      expect(running[i]?.stderr()).toContain(
        'restart signal received (herald queue:restart), finishing active jobs',
      );
    }
    // The job that was running when the signal came finished, once.
    expect(w.lines().filter((line) => line.startsWith('end 1 '))).toHaveLength(1);
    expect(await w.counts()).toMatchObject({ wait: 0, active: 0, completed: 1, failed: 0 });
  }, 90_000);

  it('a worker started after a restart signal is not stopped by it', async () => {
    const w = world();
    expect((await w.run(['queue:restart'])).code).toBe(0);
    // Several checks of the signal (every 2 s) happen before --max-time stops it.
    const worker = w.spawn(['queue:work', '--max-time', '7']);
    const exit = await worker.exited;
    expect(exit, worker.stderr()).toMatchObject({ code: 0 });
    expect(worker.stderr()).toContain('herald: working');
    expect(worker.stderr()).not.toContain('restart signal received');
  }, 60_000);

  it('a worker whose stdout reader goes away finishes its active job and exits 0, without a stack', async () => {
    const w = world();
    const app = await w.dispatcher();
    for (let n = 1; n <= 5; n++) await app.dispatch(new Ping(n));
    const worker = w.spawn(['queue:work'], { PING_SLEEP_MS: '200' }, 'closed');
    const exit = await worker.exited;
    expect(exit, worker.stderr()).toMatchObject({ code: 0, signal: null });
    expect(worker.stderr()).not.toMatch(/\n\s+at |EPIPE/);
    // It stopped at its first log line: every job it started, it finished; the rest still wait.
    const started = w.lines().filter((line) => line.startsWith('start '));
    const ended = w.lines().filter((line) => line.startsWith('end '));
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(ended).toHaveLength(started.length);
    const counts = await w.counts();
    expect(counts).toMatchObject({ active: 0, failed: 0, completed: started.length });
    expect(counts.wait).toBe(5 - started.length);
  }, 60_000);
});
