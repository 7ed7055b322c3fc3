import { describe, expect, it } from 'vitest';
import { uniqueQueueName } from '../../support/redis-url.js';
import { useBullmqWorkApps } from './support/work-apps.js';
import { closeGate, ended, gated, log, openGate, stateAfter, waitFor } from './support/work-listeners.js';

/** When a bullmq worker stops: stopWhenEmpty, close() and maxTime. */

describe('herald.work() options on bullmq', () => {
  const { app, counts, dispatchPings } = useBullmqWorkApps();

  it('stopWhenEmpty - resolves `stopped` only after the active job finished, never aborting it', async () => {
    const prefix = uniqueQueueName('work-empty');
    const herald = await app(prefix);
    closeGate();
    gated.add(1);
    await dispatchPings(herald, 1);
    const worker = await herald.work({ stopWhenEmpty: true });
    await waitFor('job 1 to start', () => log.includes('start 1'));
    // Several empty-checks pass while the only job is active (nothing waiting): still running.
    expect(await stateAfter(worker, 700)).toBe('running');
    expect(log).toEqual(['start 1']);
    openGate();
    await worker.stopped;
    // The job finished before `stopped` resolved, and its signal never saw a shutdown.
    expect(log).toEqual(['start 1', 'end 1 aborted=false']);
    expect(worker.processed).toBe(1);
    expect(await counts(prefix)).toMatchObject({ wait: 0, active: 0, delayed: 0, completed: 1 });
  });

  it('stopWhenEmpty - works through every waiting job first; an empty queue stops at once', async () => {
    const prefix = uniqueQueueName('work-empty-all');
    const herald = await app(prefix);
    await dispatchPings(herald, 6);
    const worker = await herald.work({ stopWhenEmpty: true, concurrency: 2 });
    await worker.stopped;
    expect(ended().sort()).toEqual([1, 2, 3, 4, 5, 6].map((n) => `end ${n} aborted=false`));
    expect(worker.processed).toBe(6);

    const idle = await herald.work({ stopWhenEmpty: true });
    expect(await stateAfter(idle, 8000)).toBe('stopped');
    expect(idle.processed).toBe(0);
  });

  it('close() - is idempotent, resolves `stopped`, and a closed worker takes no more jobs', async () => {
    const prefix = uniqueQueueName('work-close');
    const herald = await app(prefix);
    const worker = await herald.work();
    expect(await stateAfter(worker, 50)).toBe('running');
    await Promise.all([worker.close(), worker.close()]);
    await worker.close();
    expect(await stateAfter(worker, 1000)).toBe('stopped');
    await dispatchPings(herald, 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log).toEqual([]);
    expect(await counts(prefix)).toMatchObject({ wait: 2, active: 0 });
    // Closing the app after the worker (it closes its workers too) is fine.
    await herald.close();
    await worker.close();
  });

  it('maxTime - stops by itself after about that many seconds', async () => {
    const prefix = uniqueQueueName('work-time');
    const herald = await app(prefix);
    const started = Date.now();
    const worker = await herald.work({ maxTime: 0.4 });
    expect(await stateAfter(worker, 8000)).toBe('stopped');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });
});
