import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../src/index.js';
import { createTempProject, type TempProject } from '../support/temp-project.js';
import { waitFor } from '../support/wait-for.js';
import { redisProjectConfig, useProjectWorlds } from './support/redis-project.js';

/**
 * `herald queue:work` options through the real binary, in a project outside the repo, on the
 * shared test Redis (a unique prefix per test). Jobs are dispatched from this process by an app
 * whose events and listeners have the project's wire names (it only enqueues, never runs them).
 */

const PROJECT_LISTENERS = `
import { Event, Listener } from 'herald';
import { appendFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

function record(line: string): void {
  appendFileSync(process.env.OUT_FILE ?? 'out.log', line + '\\n');
}

@Event('opts.ping')
export class Ping { constructor(readonly n: number) {} }

@Event('opts.lead')
export class Lead { constructor(readonly n: number) {} }

@Listener(Ping, { queue: 'emails', name: 'RecordPing' })
export class RecordPing {
  async handle(event: Ping): Promise<void> {
    const ms = Number(process.env.PING_SLEEP_MS ?? 0);
    if (ms > 0) await sleep(ms);
    if (event.n < 0) throw new Error('ping ' + event.n + ' refused');
    record('ping ' + event.n + ' ' + process.pid);
  }
}

@Listener(Lead, { queue: 'crm', name: 'SyncCrm' })
export class SyncCrm {
  handle(event: Lead): void {
    record('lead ' + event.n + ' ' + process.pid);
  }
}
`;

// The same wire names as the project's classes, for dispatching from the test process.
@Event('opts.ping')
class Ping {
  constructor(readonly n: number) {}
}

@Event('opts.lead')
class Lead {
  constructor(readonly n: number) {}
}

@Listener(Ping, { queue: 'emails', name: 'RecordPing' })
class RecordPing {
  handle(_event: Ping): void {
    throw new Error('only the project runs this listener');
  }
}

@Listener(Lead, { queue: 'crm', name: 'SyncCrm' })
class SyncCrm {
  handle(_event: Lead): void {
    throw new Error('only the project runs this listener');
  }
}

/** The start of an ANSI escape sequence (colour codes). */
const ANSI = '\u001b[';

describe('herald queue:work options (real binary, real Redis)', () => {
  let project: TempProject;

  beforeAll(() => {
    project = createTempProject('herald-work-options');
    project.write('herald.config.ts', redisProjectConfig({ memory: true }));
    project.write('src/listeners/listeners.ts', PROJECT_LISTENERS);
  });

  afterAll(() => project?.remove());

  /** A fresh prefix and output file for one test. */
  const world = useProjectWorlds(() => project, { name: 'work-opts', listeners: [RecordPing, SyncCrm] });

  it('--max-jobs 5 with 12 jobs waiting handles exactly 5, exits 0, and leaves 7 waiting', async () => {
    const w = world();
    const app = await w.dispatcher();
    for (let n = 1; n <= 12; n++) await app.dispatch(new Ping(n));

    const result = await w.run(['queue:work', '--max-jobs', '5']);
    expect(result.code, result.stderr).toBe(0);
    expect(w.lines().map((line) => line.split(' ')[1])).toEqual(['1', '2', '3', '4', '5']);
    const logLines = result.stdout.split('\n').filter((line) => line.includes('RecordPing'));
    expect(logLines).toHaveLength(5);
    expect(await w.counts('emails')).toMatchObject({ wait: 7, active: 0, completed: 5, failed: 0 });
  });

  it('--max-jobs 5 --concurrency 3 still handles exactly 5 and leaves 7 waiting', async () => {
    const w = world();
    const app = await w.dispatcher();
    for (let n = 1; n <= 12; n++) await app.dispatch(new Ping(n));

    const result = await w.run(['queue:work', '--max-jobs', '5', '--concurrency', '3']);
    expect(result.code, result.stderr).toBe(0);
    expect(w.lines()).toHaveLength(5);
    expect(await w.counts('emails')).toMatchObject({ wait: 7, active: 0, completed: 5, failed: 0 });
  });

  it('--max-time 1 with no jobs exits 0 after about a second', async () => {
    const w = world();
    const worker = w.spawn(['queue:work', '--max-time', '1']);
    const exit = await worker.exited;
    expect(exit.code, worker.stderr()).toBe(0);
    expect(exit.at - worker.startedAt).toBeGreaterThanOrEqual(900);
    // The timer starts before the worker connects, so measured from the "working" banner the run
    // is a little under 1 s; a worker that took --max-time as milliseconds would exit at once.
    const banner = worker.bannerAt();
    expect(banner, worker.stderr()).toBeDefined();
    expect(exit.at - (banner ?? 0)).toBeGreaterThanOrEqual(500);
    expect(exit.at - (banner ?? 0)).toBeLessThan(10_000);
    expect(worker.stdout()).toBe('');
  });

  it('memory connection: --stop-when-empty exits 0 at once, even with a long --max-time', async () => {
    const w = world();
    const worker = w.spawn(['queue:work', 'memory', '--stop-when-empty', '--max-time', '120']);
    const exit = await Promise.race([
      worker.exited,
      new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 20_000)),
    ]);
    // Before the fix the process sat idle until --max-time ran out (120 s here).
    expect(exit, worker.stderr()).not.toBe('late');
    expect(exit, worker.stderr()).toMatchObject({ code: 0 });
    expect(worker.stderr()).toContain('herald: working memory');
  }, 30_000);

  it('--queue emails only takes jobs from emails: a job on crm stays waiting', async () => {
    const w = world();
    const app = await w.dispatcher();
    await app.dispatch(new Ping(1));
    await app.dispatch(new Lead(1));
    await app.dispatch(new Ping(2));

    const result = await w.run(['queue:work', '--queue', 'emails', '--stop-when-empty']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('(emails)');
    expect(
      w
        .lines()
        .map((line) => line.split(' ').slice(0, 2).join(' '))
        .sort(),
    ).toEqual(['ping 1', 'ping 2']);
    expect(result.stdout).not.toContain('SyncCrm');
    expect(await w.counts('crm')).toMatchObject({ wait: 1, active: 0, completed: 0 });
    expect(await w.counts('emails')).toMatchObject({ wait: 0, completed: 2 });

    // Naming crm too takes it.
    const both = await w.run(['queue:work', '--queue', 'emails,crm', '--stop-when-empty']);
    expect(both.code, both.stderr).toBe(0);
    expect(w.lines().filter((line) => line.startsWith('lead 1 '))).toHaveLength(1);
    expect(await w.counts('crm')).toMatchObject({ wait: 0, completed: 1 });
  });

  it('--json writes one object per job with the documented fields, and nothing else on stdout', async () => {
    const w = world();
    const app = await w.dispatcher();
    await app.dispatch(new Ping(1));
    await app.dispatch(new Ping(-1));

    const before = Date.now();
    const result = await w.run(['queue:work', '--stop-when-empty', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const reports = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const report of reports) {
      expect(Object.keys(report)).toEqual(
        expect.arrayContaining([
          'time',
          'queue',
          'jobId',
          'listener',
          'event',
          'attempt',
          'durationMs',
          'outcome',
        ]),
      );
      expect(report).toMatchObject({
        queue: 'emails',
        listener: 'RecordPing',
        event: 'opts.ping',
        attempt: 1,
      });
      expect(typeof report.time).toBe('string');
      const time = Date.parse(report.time as string);
      expect(time).toBeGreaterThanOrEqual(before - 1000);
      expect(new Date(time).toISOString()).toBe(report.time);
      expect(typeof report.jobId).toBe('string');
      expect(report.jobId).not.toBe('');
      expect(Number.isInteger(report.durationMs)).toBe(true);
      expect(report.durationMs as number).toBeGreaterThanOrEqual(0);
    }
    const byOutcome = Object.fromEntries(reports.map((report) => [report.outcome, report]));
    expect(Object.keys(byOutcome).sort()).toEqual(['completed', 'failed']);
    expect(byOutcome.completed).not.toHaveProperty('error');
    expect(byOutcome.failed).toMatchObject({ error: 'ping -1 refused' });
    expect(byOutcome.completed?.jobId).not.toBe(byOutcome.failed?.jobId);
  });

  it('human log lines name queue, listener, event, attempt, duration and outcome, without colour when not a TTY', async () => {
    const w = world();
    const app = await w.dispatcher();
    await app.dispatch(new Ping(1));
    await app.dispatch(new Ping(-1));

    // No NO_COLOR / FORCE_COLOR: only "stdout is not a terminal" may turn colour off.
    const worker = w.spawn(['queue:work', '--stop-when-empty'], {}, { baseEnv: colourEnv() });
    const exit = await worker.exited;
    expect(exit.code, worker.stderr()).toBe(0);
    const lines = worker.stdout().trim().split('\n');
    expect(lines).toHaveLength(2);
    const time = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(`^${time} emails RecordPing opts\\.ping job emails:\\d+ attempt 1 \\d+ms completed$`),
        ),
        expect.stringMatching(
          new RegExp(
            `^${time} emails RecordPing opts\\.ping job emails:\\d+ attempt 1 \\d+ms failed ping -1 refused$`,
          ),
        ),
      ]),
    );
    expect(worker.stdout()).not.toContain(ANSI);
    expect(worker.stderr()).not.toContain(ANSI);
    // The job id in the line is the one queue:failed lists for the failed job.
    const failedId = /job (emails:\d+) attempt 1 \d+ms failed/.exec(worker.stdout())?.[1];
    const failed = await w.run(['queue:failed', '--json']);
    expect((JSON.parse(failed.stdout) as { id: string }[]).map((job) => job.id)).toEqual([failedId]);
  });

  it('the start-up line names connection, queues, concurrency and pid, and every stderr line starts with a time', async () => {
    const w = world();
    const worker = w.spawn(['queue:work', '--queue', 'emails,crm', '--concurrency', '3']);
    await waitFor('the worker to start', () => worker.bannerAt() !== undefined, {
      timeoutMs: 30_000,
      describe: () => worker.stderr(),
    });
    worker.child.kill('SIGTERM');
    const exit = await worker.exited;
    expect(exit.code, worker.stderr()).toBe(0);
    const time = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z`;
    expect(worker.stderr()).toMatch(
      new RegExp(
        `^${time} herald: working redis \\(emails, crm\\), concurrency 3, pid ${worker.child.pid}; Ctrl-C or SIGTERM stops after active jobs$`,
        'm',
      ),
    );
    const lines = worker.stderr().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3); // start, SIGTERM, stopped
    for (const line of lines) expect(line).toMatch(new RegExp(`^${time} herald: `));
    expect(worker.stderr()).toContain('SIGTERM received, finishing active jobs');
  });

  it('--queue warns about a queue no listener uses (a typo) and still works the queues named', async () => {
    const w = world();
    const result = await w.run(['queue:work', '--queue', 'emials,crm', '--stop-when-empty']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      'warning: no listener of this app uses queue "emials" on connection "redis" (they use: default, emails, crm)',
    );
    expect(result.stderr).not.toContain('queue "crm"');
    const quiet = await w.run(['queue:work', '--queue', 'emails', '--stop-when-empty']);
    expect(quiet.stderr).not.toContain('warning');
  });

  it('two worker processes on one queue share 200 jobs: each handled exactly once, both take some, both exit 0 on SIGTERM', async () => {
    const w = world();
    const app = await w.dispatcher();
    const workers = [
      w.spawn(['queue:work', '--concurrency', '2'], { PING_SLEEP_MS: '5' }),
      w.spawn(['queue:work', '--concurrency', '2'], { PING_SLEEP_MS: '5' }),
    ];
    await waitFor('both workers to start', () => workers.every((worker) => worker.bannerAt() !== undefined), {
      timeoutMs: 30_000,
      describe: () => workers.map((worker) => worker.stderr()).join('\n---\n'),
    });

    // Dispatch in batches, so a backlog builds up that both workers pull from.
    for (let from = 1; from <= 200; from += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => app.dispatch(new Ping(from + i))));
    }
    await waitFor('200 handled jobs', () => w.lines().length >= 200, {
      timeoutMs: 40_000,
      describe: () => `${w.lines().length} lines`,
    });
    // Give a duplicate a moment to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));

    const lines = w.lines();
    const handled = lines.map((line) => Number(line.split(' ')[1]));
    expect(handled).toHaveLength(200);
    expect(new Set(handled).size).toBe(200);
    expect([...handled].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const pids = new Set(lines.map((line) => Number(line.split(' ')[2])));
    const workerPids = workers.map((worker) => worker.child.pid);
    expect([...pids].sort()).toEqual([...workerPids].sort());

    for (const worker of workers) worker.child.kill('SIGTERM');
    const exits = await Promise.all(workers.map((worker) => worker.exited));
    for (const [i, exit] of exits.entries()) {
      expect(exit, workers[i]?.stderr()).toMatchObject({ code: 0, signal: null });
      expect(workers[i]?.stderr()).toContain('SIGTERM received, finishing active jobs');
    }
    expect(await w.counts('emails')).toMatchObject({ wait: 0, active: 0, completed: 200, failed: 0 });
  }, 90_000);
});

/** This process's env without anything that forces colour on or off. */
function colourEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.NODE_DISABLE_COLORS;
  return env;
}
