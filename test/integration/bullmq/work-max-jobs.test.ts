import { describe, expect, it } from 'vitest';
import type { JobReport } from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { useBullmqWorkApps } from './support/work-apps.js';
import { Doomed, ended, log, QUEUE } from './support/work-listeners.js';

/** maxJobs and processed: how many jobs a bullmq worker takes, and what counts as processed. */

describe('herald.work() options on bullmq', () => {
  const { app, counts, dispatchPings } = useBullmqWorkApps();

  it('maxJobs - handles exactly that many jobs, leaves the rest waiting, and stops', async () => {
    const prefix = uniqueQueueName('work-max');
    const herald = await app(prefix);
    await dispatchPings(herald, 12);
    const worker = await herald.work({ maxJobs: 5 });
    await worker.stopped;
    expect(ended()).toEqual([1, 2, 3, 4, 5].map((n) => `end ${n} aborted=false`));
    expect(worker.processed).toBe(5);
    expect(await counts(prefix)).toMatchObject({ wait: 7, active: 0, completed: 5, failed: 0 });
  });

  it('maxJobs - with concurrency above 1 and several queues, never runs more than maxJobs jobs', async () => {
    const prefix = uniqueQueueName('work-max-conc');
    const herald = await app(prefix);
    await dispatchPings(herald, 12);
    // Two queues (pings + the connection's default), four jobs at once per queue.
    const worker = await herald.work({ maxJobs: 5, concurrency: 4, queues: [QUEUE, 'default'] });
    await worker.stopped;
    expect(worker.processed).toBe(5);
    expect(log.filter((line) => line.startsWith('start '))).toHaveLength(5);
    expect(ended()).toHaveLength(5);
    expect(await counts(prefix)).toMatchObject({ wait: 7, active: 0, completed: 5, failed: 0 });
  });

  it('maxJobs - an attempt that will retry does not use up the budget; no job is lost or run twice', async () => {
    const prefix = uniqueQueueName('work-max-retry');
    const herald = await app(prefix);
    await herald.dispatch(new Doomed(1));
    await dispatchPings(herald, 5);
    const reports: JobReport[] = [];
    const worker = await herald.work({ maxJobs: 2, concurrency: 2, onJob: (report) => reports.push(report) });
    await worker.stopped;
    expect(worker.processed).toBe(2);
    expect(reports.filter((report) => report.outcome !== 'retrying')).toHaveLength(2);
    const after = await counts(prefix);
    const count = (state: string) => after[state] ?? 0;
    expect(count('completed') + count('failed')).toBe(2);
    expect(count('active')).toBe(0);
    // Every one of the 6 jobs is still somewhere: finished, waiting, or delayed for its retry.
    expect(['completed', 'failed', 'wait', 'prioritized', 'delayed'].map(count).reduce((a, b) => a + b)).toBe(
      6,
    );
    const started = log.filter((line) => line.startsWith('start ') || line.startsWith('fail '));
    expect(new Set(started).size).toBe(started.length);
  });

  it('maxJobs - a job fetched beyond the budget goes back untouched: the next worker runs it as attempt 1', async () => {
    const prefix = uniqueQueueName('work-max-back');
    const herald = await app(prefix);
    await dispatchPings(herald, 12);
    const first = await herald.work({ maxJobs: 5, concurrency: 4 });
    await first.stopped;
    const reports: JobReport[] = [];
    const second = await herald.work({ stopWhenEmpty: true, concurrency: 4, onJob: (r) => reports.push(r) });
    await second.stopped;
    expect(reports).toHaveLength(7);
    expect(reports.map((report) => report.attempt)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('processed - counts jobs completed or failed for good, not attempts that will retry', async () => {
    const prefix = uniqueQueueName('work-processed');
    const herald = await app(prefix);
    await dispatchPings(herald, 3);
    await herald.dispatch(new Doomed(1));
    const reports: JobReport[] = [];
    const worker = await herald.work({ stopWhenEmpty: true, onJob: (report) => reports.push(report) });
    await worker.stopped;
    expect(worker.processed).toBe(4);
    expect(log.filter((line) => line.startsWith('fail'))).toEqual(['fail 1 attempt 1', 'fail 1 attempt 2']);
    expect(reports.map((report) => report.outcome).sort()).toEqual([
      'completed',
      'completed',
      'completed',
      'failed',
      'retrying',
    ]);
    expect(await counts(prefix)).toMatchObject({ wait: 0, completed: 3, failed: 1 });
  });
});
