import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  type JobReport,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';

@Event('memory-work.ping')
class Ping {
  constructor(readonly n: number) {}
}

@Listener(Ping, { queue: 'pings', tries: 2 })
class Pong {
  handle(event: Ping, ctx: ListenerContext): void {
    if (event.n === 2 && ctx.attempt === 1) throw new Error('flaky once');
  }
}

describe('herald.work() on the memory connection', () => {
  const apps: Herald[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });

  it('work() - reports every attempt to onJob, counts finished jobs, and stops at maxJobs', async () => {
    const herald = await createHerald({
      listeners: [Pong],
      queue: { connections: { memory: { driver: 'memory', concurrency: 1 } } },
    });
    apps.push(herald);
    const reports: JobReport[] = [];
    const worker = await herald.work({ maxJobs: 2, onJob: (report) => reports.push(report) });
    for (const n of [1, 2, 3]) await herald.dispatch(new Ping(n));
    await worker.stopped;
    expect(worker.processed).toBe(2);
    expect(
      reports
        .slice(0, 3)
        .map((report) => [report.queue, report.listener, report.event, report.attempt, report.outcome]),
    ).toEqual([
      ['pings', 'Pong', 'memory-work.ping', 1, 'completed'],
      ['pings', 'Pong', 'memory-work.ping', 1, 'retrying'],
      ['pings', 'Pong', 'memory-work.ping', 1, 'completed'],
    ]);
    expect(reports[1]?.error).toBe('flaky once');
    await herald.drain();
    // The worker stopped counting after maxJobs; the in-process queue still ran everything.
    expect(worker.processed).toBe(2);
  });
});
