import { describe, expect, it } from 'vitest';
import { createHerald, HeraldError, type WorkOptions } from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { useBullmqWorkApps } from './support/work-apps.js';
import { LISTENERS, log, QUEUE } from './support/work-listeners.js';

/** work() refuses to start: Redis unreachable (queue_unavailable), invalid options (invalid_argument). */

describe('herald.work() options on bullmq', () => {
  const { apps, app, counts, dispatchPings } = useBullmqWorkApps();

  it('Redis unreachable at start - work() rejects with queue_unavailable after unavailableTimeout, naming the address and the fix', async () => {
    const herald = await createHerald({
      listeners: LISTENERS,
      queue: {
        default: 'redis',
        connections: { redis: { driver: 'bullmq', url: 'redis://127.0.0.1:1', unavailableTimeout: 300 } },
      },
    });
    apps.push(herald);
    const started = Date.now();
    const error = await herald.work({ stopWhenEmpty: true }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'queue_unavailable'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /^The worker could not reach Redis at 127\.0\.0\.1:1 \(queue connection "redis"\) within 300 ms: connect ECONNREFUSED.*Start Redis or fix the connection's url/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('invalid options - reject with HeraldError invalid_argument naming the option, before any worker starts', async () => {
    const prefix = uniqueQueueName('work-invalid');
    const herald = await app(prefix);
    const cases: [WorkOptions, RegExp][] = [
      [{ concurrency: 0 }, /"concurrency"/],
      [{ concurrency: 1.5 }, /"concurrency"/],
      [{ maxJobs: 0 }, /"maxJobs"/],
      [{ maxTime: -1 }, /"maxTime"/],
      [{ maxTime: Number.NaN }, /"maxTime"/],
      [{ timeoutGrace: 0 }, /"timeoutGrace"/],
      [{ queues: [] }, /"queues"/],
      [{ queues: ['a:b'] }, /queue name "a:b"/],
      [{ queues: [QUEUE, ' '] }, /queue name " "/],
    ];
    for (const [options, message] of cases) {
      const error = await herald.work(options).catch((caught: unknown) => caught);
      expect(HeraldError.is(error, 'invalid_argument'), JSON.stringify(options)).toBe(true);
      expect((error as Error).message, JSON.stringify(options)).toMatch(message);
    }
    // No worker was left running: a job dispatched now stays waiting.
    await dispatchPings(herald, 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(log).toEqual([]);
    expect(await counts(prefix)).toMatchObject({ wait: 1, active: 0 });
  });
});
