import { afterEach, describe, expect, it } from 'vitest';
import { createHerald, Event, type Herald, Listener, type ListenerContext } from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { useStreamRedis } from './support/stream-redis.js';

@Event('claim.note')
class Note {
  constructor(readonly id: string) {}
}

const seen: { listener: string; id: string; attempt: number; at: number }[] = [];
const failedCalls: { id: string; error: string }[] = [];

@Listener(Note, { connection: 'log', tries: 3 })
class Survivor {
  handle(event: Note, ctx: ListenerContext): void {
    seen.push({ listener: 'Survivor', id: event.id, attempt: ctx.attempt, at: Date.now() });
  }
}

@Listener(Note, { connection: 'log', tries: 1 })
class OneTry {
  handle(event: Note, ctx: ListenerContext): void {
    seen.push({ listener: 'OneTry', id: event.id, attempt: ctx.attempt, at: Date.now() });
  }
  failed(event: Note, error: Error): void {
    failedCalls.push({ id: event.id, error: error.message });
  }
}

@Listener(Note, { connection: 'log', startFrom: 'start', tries: 2, backoff: 800 })
class WaitsForRetry {
  handle(event: Note, ctx: ListenerContext): void {
    seen.push({ listener: 'WaitsForRetry', id: event.id, attempt: ctx.attempt, at: Date.now() });
    if (ctx.attempt === 1) throw new Error('first attempt fails');
  }
}

@Listener(Note, { connection: 'log', startFrom: 'start', tries: 3 })
class Slow {
  async handle(event: Note, ctx: ListenerContext): Promise<void> {
    seen.push({ listener: 'Slow', id: event.id, attempt: ctx.attempt, at: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 900)); // 4.5 times claimAfter
  }
}

describe('streams driver: claiming entries of a crashed consumer', () => {
  const env = useStreamRedis();
  afterEach(() => {
    seen.length = 0;
    failedCalls.length = 0;
  });

  async function boot(prefix: string, listeners: Function[]): Promise<Herald> {
    const app = await createHerald({
      listeners: listeners as never,
      queue: { connections: { log: { driver: 'streams', url: env.server.url, prefix, claimAfter: 200 } } },
    });
    env.apps.push(app);
    return app;
  }

  /** Dispatches notes, then has a consumer that "crashes" read them for `group` and never ack. */
  async function leftPendingByACrash(prefix: string, group: string, ids: string[]): Promise<void> {
    const key = `${prefix}:claim.note:0`;
    await env.redis.xgroup('CREATE', key, group, '0', 'MKSTREAM');
    const producer = await boot(prefix, [Survivor, OneTry]);
    for (const id of ids) await producer.dispatch(new Note(id));
    await env.redis.call('XREADGROUP', 'GROUP', group, 'crashed:1', 'COUNT', 10, 'STREAMS', key, '>');
    const [count] = (await env.redis.xpending(key, group)) as [number];
    expect(count).toBe(ids.length);
  }

  it('work() - entries pending with a dead consumer are claimed after claimAfter, and the claim counts as an attempt', async () => {
    const prefix = uniqueQueueName('claim');
    await leftPendingByACrash(prefix, 'Survivor', ['a', 'b']);
    const app = await boot(prefix, [Survivor]);
    await app.work({ connection: 'log' });
    await waitFor('the claimed entries', () => seen.length === 2, { timeoutMs: 5000 });
    expect(seen.map((each) => [each.id, each.attempt])).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
    await waitFor(
      'the acks',
      async () => ((await env.redis.xpending(`${prefix}:claim.note:0`, 'Survivor')) as [number])[0] === 0,
    );
    expect(await env.redis.hlen(`${prefix}:claim.note:attempts:Survivor`)).toBe(0);
  });

  it('work() - a claimed entry past its tries is not handled: failed() runs once and it is dead-lettered', async () => {
    const prefix = uniqueQueueName('claim');
    await leftPendingByACrash(prefix, 'OneTry', ['c']);
    const app = await boot(prefix, [OneTry]);
    await app.work({ connection: 'log' });
    await waitFor('failed()', () => failedCalls.length === 1, { timeoutMs: 5000 });
    expect(seen).toEqual([]);
    expect(failedCalls[0]?.error).toMatch(
      /OneTry has been attempted too many times: attempt 2 would exceed its 1 tries/,
    );
    await waitFor(
      'the dead letter',
      async () => (await env.redis.xlen(`${prefix}:claim.note:dead:OneTry`)) === 1,
    );
  });

  it('work() - an entry waiting for its retry is not claimed as stale, however long it waits', async () => {
    const prefix = uniqueQueueName('claim');
    const producer = await boot(prefix, [WaitsForRetry]);
    await producer.dispatch(new Note('r'));
    const app = await boot(prefix, [WaitsForRetry]);
    await app.work({ connection: 'log' });
    await waitFor('the retry', () => seen.length === 2, { timeoutMs: 5000 });
    // Give a stray claim time to show up as a third attempt.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(seen.map((each) => each.attempt)).toEqual([1, 2]);
    expect((seen[1]?.at ?? 0) - (seen[0]?.at ?? 0)).toBeGreaterThanOrEqual(790);
  });

  it('an attempt that runs longer than claimAfter is kept alive: another worker of the group never claims it', async () => {
    const prefix = uniqueQueueName('claim');
    const producer = await boot(prefix, [Slow]);
    await producer.dispatch(new Note('long'));
    const first = await boot(prefix, [Slow]);
    await first.work({ connection: 'log' });
    await waitFor('the slow attempt to start', () => seen.length === 1);
    const second = await boot(prefix, [Slow]);
    await second.work({ connection: 'log' });
    await waitFor(
      'the ack',
      async () => ((await env.redis.xpending(`${prefix}:claim.note:0`, 'Slow')) as [number])[0] === 0,
    );
    expect(seen.map((each) => [each.id, each.attempt])).toEqual([['long', 1]]);
    expect(await env.redis.exists(`${prefix}:claim.note:dead:Slow`)).toBe(0);
  });
});
