import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald } from '../../src/index.js';
import {
  createFaultEnv,
  exitWithin,
  type FaultEnv,
  waitFor,
  waitUntilWorking,
} from './support/fault-harness.js';
import { doneIds, RecordTick, startIds, TICK_LISTENER_SOURCE, Tick } from './support/tick.js';

const JOBS = 20;
const CONCURRENCY = 5;

describe('fault: queue:work and shutdown signals', () => {
  let fault: FaultEnv;
  let herald: Herald | undefined;

  beforeEach(async () => {
    fault = await createFaultEnv({ 'src/listeners/tick.ts': TICK_LISTENER_SOURCE });
    herald = await createHerald(fault.config([RecordTick]));
    const app = herald;
    await Promise.all(Array.from({ length: JOBS }, (_, i) => app.dispatch(new Tick(`job-${i}`))));
  });

  afterEach(async () => {
    await herald?.close();
    herald = undefined;
    await fault.cleanup();
  });

  it('SIGTERM lets the active jobs finish, exits 0 and leaves nothing active in Redis', async () => {
    const worker = fault.spawnHerald(['queue:work', '--concurrency', String(CONCURRENCY)], {
      TICK_MIN_MS: '400',
      TICK_MAX_MS: '600',
    });
    await waitUntilWorking(worker);
    const running = () => {
      const lines = fault.lines();
      const done = new Set(doneIds(lines));
      return startIds(lines).filter((id) => !done.has(id));
    };
    await waitFor(`${CONCURRENCY} jobs to be running`, () => running().length >= CONCURRENCY);
    worker.child.kill('SIGTERM');
    // Read right after the signal: these were mid-job when it landed (a few ms late at worst).
    const runningAtSignal = running();
    expect(runningAtSignal.length).toBeGreaterThan(0);

    const exit = await exitWithin(worker, 10_000);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(worker.stderr()).toContain('SIGTERM received, finishing active jobs');

    const started = startIds(fault.lines()).sort();
    const done = doneIds(fault.lines()).sort();
    expect(started.length).toBeGreaterThanOrEqual(CONCURRENCY);
    // Every job that had started finished, those running at the signal included.
    expect(done).toEqual(started);
    expect(runningAtSignal.filter((id) => !done.includes(id))).toEqual([]);
    // It stopped taking jobs: most are still waiting for the next worker.
    expect(done.length).toBeLessThan(JOBS);
    const counts = await fault.counts();
    expect(counts).toMatchObject({ active: 0, failed: 0, completed: done.length, wait: JOBS - done.length });
  }, 30_000);

  it('a second signal while shutting down exits at once with a non-zero code', async () => {
    const worker = fault.spawnHerald(['queue:work', '--concurrency', String(CONCURRENCY)], {
      TICK_MIN_MS: '5000',
    });
    await waitUntilWorking(worker);
    await waitFor(`${CONCURRENCY} jobs to be running`, () => startIds(fault.lines()).length >= CONCURRENCY);

    worker.child.kill('SIGTERM');
    await waitFor('the worker to start shutting down', () =>
      worker.stderr().includes('SIGTERM received, finishing active jobs'),
    );
    expect(worker.hasExited()).toBe(false);
    const secondAt = Date.now();
    worker.child.kill('SIGINT');
    const exit = await exitWithin(worker, 3000);
    expect(Date.now() - secondAt).toBeLessThan(2000);
    expect(exit.signal).toBeNull();
    expect(exit.code).not.toBe(0);
    expect(exit.code).not.toBeNull();
    expect(worker.stderr()).toContain('second SIGINT, exiting now');
    // It did not wait for the 5 s jobs.
    expect(doneIds(fault.lines())).toEqual([]);
  }, 30_000);
});
