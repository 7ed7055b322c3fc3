import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, type Herald, HeraldError } from '../../src/index.js';
import {
  createFaultEnv,
  exitWithin,
  type FaultEnv,
  waitFor,
  waitUntilWorking,
} from './support/fault-harness.js';
import { doneIds, RecordTickTwice, TICK_LISTENER_SOURCE, Tick } from './support/tick.js';

const OUTAGE_MS = 2000;

describe('fault: Redis killed and restarted under steady dispatches', () => {
  let fault: FaultEnv | undefined;
  let herald: Herald | undefined;

  afterEach(async () => {
    await herald?.close();
    herald = undefined;
    await fault?.cleanup();
    fault = undefined;
  });

  it('dispatch rejects with queue_unavailable during the outage, no acknowledged job is lost, and the worker resumes by itself', async () => {
    const env = await createFaultEnv(
      { 'src/listeners/tick.ts': TICK_LISTENER_SOURCE },
      { appendonly: true, appendfsync: 'always' },
    );
    fault = env;
    const worker = env.spawnHerald(['queue:work', '--concurrency', '5'], {
      TICK_MIN_MS: '1',
      TICK_MAX_MS: '5',
    });
    await waitUntilWorking(worker);
    const app = await createHerald(env.config([RecordTickTwice]));
    herald = app;

    let phase: 'before' | 'outage' | 'after' = 'before';
    const resolved: string[] = [];
    const resolvedAfterRestart: string[] = [];
    const rejectedIn = { before: 0, outage: 0, after: 0 };
    const unexpected: unknown[] = [];
    let slowestRejectionMs = 0;
    let stop = false;
    let next = 0;
    const produce = async () => {
      while (!stop) {
        const id = `r-${next++}`;
        const startedIn = phase;
        const startedAt = Date.now();
        try {
          await app.dispatch(new Tick(id));
          resolved.push(id);
          if (startedIn === 'after') resolvedAfterRestart.push(id);
        } catch (error) {
          // Counted by the phase the rejection happens in: a dispatch in flight when Redis dies
          // may reject, but none may reject while Redis is still up.
          if (HeraldError.is(error, 'queue_unavailable')) rejectedIn[phase]++;
          else unexpected.push(error);
          slowestRejectionMs = Math.max(slowestRejectionMs, Date.now() - startedAt);
          await sleep(10);
        }
        await sleep(2);
      }
    };
    // Two producers so dispatches are in flight at the moment Redis dies.
    const producers = Promise.all([produce(), produce()]);
    const progress = () =>
      `phase ${phase}, resolved ${resolved.length}, rejected ${JSON.stringify(rejectedIn)}, handled ${doneIds(env.lines()).length}\nworker stderr: ${worker.stderr()}`;

    try {
      await waitFor('100 acknowledged dispatches before the outage', () => resolved.length >= 100, {
        describe: progress,
      });
      await waitFor('the worker to handle jobs before the outage', () => doneIds(env.lines()).length >= 20, {
        describe: progress,
      });
      phase = 'outage';
      await env.redis.kill();
      await sleep(OUTAGE_MS);
      await env.redis.restart();
      phase = 'after';
      await waitFor(
        '100 acknowledged dispatches after the restart',
        () => resolvedAfterRestart.length >= 100,
        {
          timeoutMs: 10_000,
          describe: progress,
        },
      );
    } finally {
      stop = true;
      await producers;
    }

    expect(unexpected).toEqual([]);
    expect(rejectedIn.outage).toBeGreaterThan(0);
    expect(rejectedIn.before).toBe(0);
    // Bounded by unavailableTimeout (1 s): a dispatch never hangs while Redis is down.
    expect(slowestRejectionMs).toBeLessThan(3000);

    // Every acknowledged dispatch is handled, including those acknowledged after the restart: the
    // same worker process resumed without being restarted.
    const missing = () => {
      const handled = new Set(doneIds(env.lines()));
      return resolved.filter((id) => !handled.has(id));
    };
    await waitFor('the worker to handle every acknowledged dispatch', () => missing().length === 0, {
      timeoutMs: 20_000,
      intervalMs: 100,
      describe: () => `missing ${missing().length}: ${missing().slice(0, 20).join(', ')}\n${progress()}`,
    });
    expect(worker.hasExited()).toBe(false);
    await waitFor(
      'no job left active or waiting',
      async () => {
        const counts = await env.counts();
        return counts.active === 0 && counts.wait === 0 && counts.delayed === 0;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect((await env.counts()).failed).toBe(0);

    worker.child.kill('SIGTERM');
    expect((await exitWithin(worker, 10_000)).code).toBe(0);
  }, 60_000);
});
