import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../src/index.js';
import { createTempProject, type TempProject } from '../support/temp-project.js';
import { waitFor } from '../support/wait-for.js';
import { redisProjectConfig, useProjectWorlds } from './support/redis-project.js';

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

@Event('restart.ping')
class Ping {
  constructor(readonly n: number) {}
}

@Listener(Ping, { queue: 'slow', name: 'SlowPing' })
class SlowPing {
  handle(): void {}
}

describe('stopping herald queue:work: queue:restart, a closed log reader (real binary, real Redis)', () => {
  let project: TempProject;

  beforeAll(() => {
    project = createTempProject('herald-restart');
    project.write('herald.config.ts', redisProjectConfig());
    project.write('src/listeners/ping.ts', LISTENERS);
  });
  afterAll(() => project?.remove());

  const world = useProjectWorlds(() => project, { name: 'restart', listeners: [SlowPing] });

  it('queue:restart: every running worker finishes its active job, then exits 0', async () => {
    const w = world();
    const app = await w.dispatcher();
    const running = [
      w.spawn(['queue:work'], { PING_SLEEP_MS: '3000' }),
      w.spawn(['queue:work'], { PING_SLEEP_MS: '3000' }),
    ];
    for (const worker of running) {
      await waitFor('the worker to start', () => worker.stderr().includes('herald: working'), {
        timeoutMs: 30_000,
        describe: worker.stderr,
      });
    }
    await app.dispatch(new Ping(1));
    await waitFor('the job to start', () => w.lines().some((line) => line.startsWith('start 1 ')), {
      timeoutMs: 30_000,
      describe: () => running.map((worker) => worker.stderr()).join('\n---\n'),
    });

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
    expect(await w.counts('slow')).toMatchObject({ wait: 0, active: 0, completed: 1, failed: 0 });
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
    const worker = w.spawn(['queue:work'], { PING_SLEEP_MS: '200' }, { closeStdout: true });
    const exit = await worker.exited;
    expect(exit, worker.stderr()).toMatchObject({ code: 0, signal: null });
    expect(worker.stderr()).not.toMatch(/\n\s+at |EPIPE/);
    // It stopped at its first log line: every job it started, it finished; the rest still wait.
    const started = w.lines().filter((line) => line.startsWith('start '));
    const ended = w.lines().filter((line) => line.startsWith('end '));
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(ended).toHaveLength(started.length);
    const counts = await w.counts('slow');
    expect(counts).toMatchObject({ active: 0, failed: 0, completed: started.length });
    expect(counts.wait).toBe(5 - started.length);
  }, 60_000);
});
