import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  HeraldError,
  type JobReport,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { bootFailure } from '../../unit/boot/boot-helpers.js';
import { useStreamRedis } from './support/stream-redis.js';

@Event('broadcast.changed', { stream: 'changes', key: (e: Changed) => e.id })
class Changed {
  constructor(readonly id: string) {}
}

/** Calls of handle (of every worker): which entry, which attempt. */
const seen: { id: string; attempt: number }[] = [];
const failedCalls: string[] = [];

@Listener(Changed, { connection: 'log', broadcast: true })
class Invalidate {
  handle(event: Changed, ctx: ListenerContext): void {
    seen.push({ id: event.id, attempt: ctx.attempt });
    if (event.id.startsWith('bad')) throw new Error(`${event.id} fails`);
  }
  failed(event: Changed, error: Error): void {
    failedCalls.push(`${event.id}: ${error.message}`);
  }
}

describe('streams driver: broadcast listeners', () => {
  const env = useStreamRedis();
  afterEach(() => {
    seen.length = 0;
    failedCalls.length = 0;
  });

  async function boot(prefix: string, listeners: Function[] = [Invalidate]): Promise<Herald> {
    const app = await createHerald({
      listeners: listeners as never,
      queue: {
        connections: {
          log: { driver: 'streams', url: env.server.url, prefix, partitions: 2, unavailableTimeout: 2000 },
        },
      },
    });
    env.apps.push(app);
    return app;
  }

  it('every worker handles every entry appended after it started, none from before; no group is created', async () => {
    const prefix = uniqueQueueName('broadcast');
    const producer = await boot(prefix);
    await producer.dispatch(new Changed('before'));
    const reports = new Map<string, JobReport[]>([
      ['one', []],
      ['two', []],
    ]);
    for (const name of ['one', 'two']) {
      const app = await boot(prefix);
      await app.work({ connection: 'log', concurrency: 2, onJob: (job) => reports.get(name)?.push(job) });
    }
    const ids = ['x1', 'x2', 'x3', 'x4', 'x5', 'x6'];
    for (const id of ids) await producer.dispatch(new Changed(id));
    await waitFor('both workers to handle every new entry', () => seen.length === ids.length * 2, {
      describe: () => JSON.stringify(seen),
    });
    for (const name of ['one', 'two']) {
      const handled = reports.get(name) ?? [];
      expect(handled.map((job) => job.outcome)).toEqual(ids.map(() => 'completed'));
      expect(handled.every((job) => job.attempt === 1 && job.queue === 'changes')).toBe(true);
    }
    expect(seen.map((each) => each.id).sort()).toEqual([...ids, ...ids].sort());
    expect(seen.some((each) => each.id === 'before')).toBe(false);
    for (const partition of [0, 1]) {
      expect(await env.redis.xinfo('GROUPS', `${prefix}:changes:${partition}`)).toEqual([]);
    }
  });

  it('a failing entry runs failed() once, is reported failed and never retried; the next entries still run', async () => {
    const prefix = uniqueQueueName('broadcast');
    const producer = await boot(prefix);
    const reports: JobReport[] = [];
    const app = await boot(prefix);
    const worker = await app.work({ connection: 'log', onJob: (job) => reports.push(job) });
    await producer.dispatch(new Changed('bad-1'));
    await producer.dispatch(new Changed('ok-1'));
    await waitFor('both entries', () => reports.length === 2, { describe: () => JSON.stringify(reports) });
    expect(failedCalls).toEqual(['bad-1: bad-1 fails']);
    expect(reports.map((job) => [job.outcome, job.attempt, job.error])).toEqual([
      ['failed', 1, 'bad-1 fails'],
      ['completed', 1, undefined],
    ]);
    // Another read round brings no second attempt.
    await producer.dispatch(new Changed('ok-2'));
    await waitFor('the third entry', () => reports.length === 3);
    expect(seen.map((each) => each.id)).toEqual(['bad-1', 'ok-1', 'ok-2']);
    expect(failedCalls).toHaveLength(1);
    expect(worker.processed).toBe(3);
  });

  it.each([
    ['tries', { tries: 3 }, 'remove tries (a broadcast entry gets one attempt)'],
    ['backoff', { backoff: 1000 }, 'remove backoff'],
    ['startFrom', { startFrom: 'start' as const }, 'remove startFrom'],
    ['ordered', { ordered: true }, 'remove ordered or broadcast: true'],
  ])(
    'boot refuses broadcast with %s, naming the listener, the option and the fix',
    async (key, options, fix) => {
      @Listener(Changed, { connection: 'log', broadcast: true, ...options })
      class Contradicting {
        handle(): void {}
      }
      const error = await bootFailure({
        listeners: [Contradicting],
        queue: { connections: { log: { driver: 'streams', url: 'redis://127.0.0.1:1' } } },
      });
      expect(HeraldError.is(error, 'config_invalid')).toBe(true);
      expect(error.message).toContain('Contradicting');
      expect(error.message).toContain(
        `option "${key}" cannot be honoured with broadcast: true on its connection "log"`,
      );
      expect(error.message).toContain(fix);
    },
  );
});
