import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { useBullmqWorkApps } from './support/work-apps.js';
import { closeGate, gated, log, openGate, Ping, Stuck, waitFor } from './support/work-listeners.js';

/** A handler that overruns its timeout by timeoutGrace stops the worker: `stopped` rejects (timeout). */

describe('herald.work() options on bullmq', () => {
  const { app, counts } = useBullmqWorkApps();

  it('a handler still running timeoutGrace after its timeout: the worker takes no more jobs, lets the others finish, then `stopped` rejects (timeout)', async () => {
    const prefix = uniqueQueueName('work-overrun');
    const herald = await app(prefix);
    gated.add(7);
    closeGate();
    await herald.dispatch(new Stuck(1));
    await herald.dispatch(new Ping(7));
    const worker = await herald.work({ concurrency: 3, timeoutGrace: 200 });
    let outcome: unknown = 'running';
    worker.stopped.then(
      () => {
        outcome = 'resolved';
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    await waitFor('both jobs to start', () => log.includes('stuck 1') && log.includes('start 7'));
    // Past the 50 ms timeout and the 200 ms grace: the worker has stopped taking jobs.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await herald.dispatch(new Ping(8));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(outcome).toBe('running');
    openGate();
    await waitFor('the worker to stop', () => outcome !== 'running');
    expect(HeraldError.is(outcome, 'timeout'), String(outcome)).toBe(true);
    expect((outcome as Error).message).toMatch(
      /^work-options\.NeverSettles \(job pings:1\) ignored its timeout: it was still running 200 ms after ctx\.signal aborted/,
    );
    expect(log).toEqual(['stuck 1', 'start 7', 'end 7 aborted=false']);
    expect(await counts(prefix)).toMatchObject({ wait: 1, active: 1, completed: 1 });
  });

  it('a stop already under way (maxTime) does not hang on a handler that overran its timeout: `stopped` rejects (timeout)', async () => {
    const prefix = uniqueQueueName('work-overrun-stop');
    const herald = await app(prefix);
    await herald.dispatch(new Stuck(2));
    const worker = await herald.work({ maxTime: 0.2, timeoutGrace: 300 });
    const outcome = await worker.stopped.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    expect(HeraldError.is(outcome, 'timeout'), String(outcome)).toBe(true);
    expect(log).toEqual(['stuck 2']);
  });
});
