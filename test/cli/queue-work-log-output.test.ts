import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';
import { ANSI, colourEnv, Ping, useWorkOptionsProject } from './support/work-options-project.js';

/**
 * What `herald queue:work` prints: --json lines, human log lines without colour off a TTY, the
 * start-up line.
 */

describe('herald queue:work options (real binary, real Redis)', () => {
  /** A fresh prefix and output file for one test. */
  const world = useWorkOptionsProject();

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
});
