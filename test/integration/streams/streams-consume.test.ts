import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  HeraldError,
  type HeraldWorker,
  Listener,
  type ListenerContext,
} from '../../../src/index.js';
import { uniqueQueueName } from '../../support/redis-url.js';
import { waitFor } from '../../support/wait-for.js';
import { record, useStreamRedis } from './support/stream-redis.js';

@Event('consume.note')
class Note {
  constructor(readonly id: string) {}
}

interface Seen {
  readonly listener: string;
  readonly id: string;
  readonly attempt: number;
  readonly jobId: string | undefined;
  readonly queue: string | undefined;
}
const seen: Seen[] = [];
const failedCalls: { listener: string; id: string | undefined; error: string }[] = [];
/** How many times Flaky throws before it succeeds. */
let flakyFailures = 0;

function note(listener: string, event: Note, ctx: ListenerContext): void {
  seen.push({ listener, id: event.id, attempt: ctx.attempt, jobId: ctx.jobId, queue: ctx.queue });
}

@Listener(Note, { connection: 'log', startFrom: 'start' })
class FromStart {
  handle(event: Note, ctx: ListenerContext): void {
    note('FromStart', event, ctx);
  }
}

@Listener(Note, { connection: 'log' })
class FromNew {
  handle(event: Note, ctx: ListenerContext): void {
    note('FromNew', event, ctx);
  }
}

@Listener(Note, { connection: 'log', startFrom: 'start', tries: 3, backoff: 50 })
class Flaky {
  handle(event: Note, ctx: ListenerContext): void {
    note('Flaky', event, ctx);
    if (ctx.attempt <= flakyFailures) throw new Error(`flaky attempt ${ctx.attempt}`);
  }
  failed(event: Note, error: Error): void {
    failedCalls.push({ listener: 'Flaky', id: event?.id, error: error.message });
  }
}

@Listener(Note, { connection: 'log', startFrom: 'start', tries: 2, backoff: 600 })
class SlowRetry {
  handle(event: Note, ctx: ListenerContext): void {
    note('SlowRetry', event, ctx);
    if (ctx.attempt === 1) throw new Error('first attempt fails');
  }
}

let releaseGate: () => void = () => {};

@Listener(Note, { connection: 'log', startFrom: 'start' })
class Gated {
  async handle(event: Note, ctx: ListenerContext): Promise<void> {
    note('Gated', event, ctx);
    if (event.id === 'a') await new Promise<void>((resolve) => (releaseGate = resolve));
  }
}

describe('streams driver: consuming', () => {
  const env = useStreamRedis();
  afterEach(() => {
    seen.length = 0;
    failedCalls.length = 0;
    flakyFailures = 0;
  });

  async function boot(prefix: string, listeners: Function[]): Promise<Herald> {
    const app = await createHerald({
      listeners: listeners as never,
      queue: {
        connections: { log: { driver: 'streams', url: env.server.url, prefix, unavailableTimeout: 2000 } },
      },
    });
    env.apps.push(app);
    return app;
  }

  async function work(prefix: string, listeners: Function[]): Promise<HeraldWorker> {
    const app = await boot(prefix, listeners);
    return app.work({ connection: 'log' });
  }

  const pending = (prefix: string, group: string) =>
    env.redis.xpending(`${prefix}:consume.note:0`, group) as Promise<[number, ...unknown[]]>;

  it('work() - each listener reads through its own group from its startFrom; entries are acknowledged, ctx.jobId is the entry id', async () => {
    const prefix = uniqueQueueName('consume');
    const producer = await boot(prefix, [FromStart, FromNew]);
    await producer.dispatch(new Note('before'));
    const worker = await work(prefix, [FromStart, FromNew]);
    await producer.dispatch(new Note('after'));
    await waitFor('both listeners to handle the entries', () => seen.length === 3, {
      describe: () => JSON.stringify(seen),
    });
    const ids = (await env.redis.xrange(`${prefix}:consume.note:0`, '-', '+')).map(([id]) => id);
    expect(ids).toHaveLength(2);
    const byListener = (name: string) => seen.filter((each) => each.listener === name);
    expect(byListener('FromStart').map((each) => [each.id, each.jobId])).toEqual([
      ['before', ids[0]],
      ['after', ids[1]],
    ]);
    // 'new' starts at the entries appended after its group was created.
    expect(byListener('FromNew').map((each) => each.id)).toEqual(['after']);
    expect(seen.every((each) => each.queue === 'consume.note' && each.attempt === 1)).toBe(true);
    await waitFor('the acks', async () => (await pending(prefix, 'FromStart'))[0] === 0);
    expect((await pending(prefix, 'FromNew'))[0]).toBe(0);
    expect(worker.processed).toBe(3);
    await worker.close();
  });

  it('work() - a failed attempt is retried after its backoff, the entry pending until it completes; no dead letter', async () => {
    const prefix = uniqueQueueName('consume');
    flakyFailures = 2;
    const producer = await boot(prefix, [Flaky]);
    await producer.dispatch(new Note('n1'));
    await work(prefix, [Flaky]);
    await waitFor('three attempts', () => seen.length === 3, { describe: () => JSON.stringify(seen) });
    expect(seen.map((each) => each.attempt)).toEqual([1, 2, 3]);
    await waitFor('the ack', async () => (await pending(prefix, 'Flaky'))[0] === 0);
    expect(failedCalls).toEqual([]);
    expect(await env.redis.exists(`${prefix}:consume.note:dead:Flaky`)).toBe(0);
  });

  it('work() - a poison entry: tries attempts, failed() once, one dead letter with the error, acknowledged', async () => {
    const prefix = uniqueQueueName('consume');
    flakyFailures = 99;
    const producer = await boot(prefix, [Flaky]);
    await producer.dispatch(new Note('poison'));
    const [[entryId]] = (await env.redis.xrange(`${prefix}:consume.note:0`, '-', '+')) as [
      [string, string[]],
    ];
    await work(prefix, [Flaky]);
    await waitFor('failed()', () => failedCalls.length === 1);
    expect(seen.map((each) => each.attempt)).toEqual([1, 2, 3]);
    expect(failedCalls).toEqual([{ listener: 'Flaky', id: 'poison', error: 'flaky attempt 3' }]);
    const dead = await env.redis.xrange(`${prefix}:consume.note:dead:Flaky`, '-', '+');
    expect(dead).toHaveLength(1);
    const letter = record(dead[0]?.[1] ?? []);
    expect(letter).toMatchObject({
      event: 'consume.note',
      listener: 'Flaky',
      entryId,
      attempts: '3',
      error: 'flaky attempt 3',
    });
    expect(letter.payload).toContain('"poison"');
    expect((await pending(prefix, 'Flaky'))[0]).toBe(0);
    expect(await env.redis.zcard(`${prefix}:consume.note:retry:Flaky`)).toBe(0);
  });

  it('work() - a malformed entry goes straight to the dead-letter stream with bad_payload; failed() does not run', async () => {
    const prefix = uniqueQueueName('consume');
    await boot(prefix, [Flaky]);
    await env.redis.xadd(
      `${prefix}:consume.note:0`,
      '*',
      'v',
      '1',
      'event',
      'consume.note',
      'payload',
      '{not json',
    );
    await work(prefix, [Flaky]);
    await waitFor(
      'the dead letter',
      async () => (await env.redis.xlen(`${prefix}:consume.note:dead:Flaky`)) === 1,
    );
    const [[, fields]] = (await env.redis.xrange(`${prefix}:consume.note:dead:Flaky`, '-', '+')) as [
      [string, string[]],
    ];
    expect(record(fields)).toMatchObject({ errorKind: 'bad_payload', attempts: '1' });
    expect(seen).toEqual([]);
    expect(failedCalls).toEqual([]);
    await waitFor('the ack', async () => (await pending(prefix, 'Flaky'))[0] === 0);
  });

  it('work() - a retry is scheduled in Redis: a worker started after the first one stopped runs it', async () => {
    const prefix = uniqueQueueName('consume');
    const producer = await boot(prefix, [SlowRetry]);
    await producer.dispatch(new Note('n1'));
    const first = await work(prefix, [SlowRetry]);
    await waitFor('the first attempt', () => seen.length === 1);
    await first.close();
    // The entry waits for its retry: still pending in the group, its retry in the sorted set.
    expect((await pending(prefix, 'SlowRetry'))[0]).toBe(1);
    expect(await env.redis.zrange(`${prefix}:consume.note:retry:SlowRetry`, '0', '-1')).toEqual([
      expect.stringMatching(/^0\|\d+-\d+$/),
    ]);
    await work(prefix, [SlowRetry]);
    await waitFor('the retry on the second worker', () => seen.length === 2);
    expect(seen.map((each) => each.attempt)).toEqual([1, 2]);
    await waitFor('the ack', async () => (await pending(prefix, 'SlowRetry'))[0] === 0);
  });

  it('work({ stopWhenEmpty, onJob }) - stops once every group has read and settled everything, reporting each attempt', async () => {
    const prefix = uniqueQueueName('consume');
    flakyFailures = 1;
    const producer = await boot(prefix, [FromStart, Flaky]);
    await producer.dispatch(new Note('n1'));
    await producer.dispatch(new Note('n2'));
    const app = await boot(prefix, [FromStart, Flaky]);
    const reports: string[] = [];
    const worker = await app.work({
      connection: 'log',
      stopWhenEmpty: true,
      onJob: (report) => reports.push(`${report.listener} ${report.attempt} ${report.outcome}`),
    });
    await worker.stopped;
    expect(worker.processed).toBe(4);
    expect(reports.sort()).toEqual([
      'Flaky 1 retrying',
      'Flaky 1 retrying',
      'Flaky 2 completed',
      'Flaky 2 completed',
      'FromStart 1 completed',
      'FromStart 1 completed',
    ]);
  });

  it('work({ maxJobs }) - stops after that many entries finished, leaving the rest to the next worker', async () => {
    const prefix = uniqueQueueName('consume');
    const producer = await boot(prefix, [FromStart]);
    for (const id of ['a', 'b', 'c']) await producer.dispatch(new Note(id));
    const app = await boot(prefix, [FromStart]);
    const worker = await app.work({ connection: 'log', maxJobs: 2 });
    await worker.stopped;
    expect(seen.map((each) => each.id)).toEqual(['a', 'b']);
    const next = await app.work({ connection: 'log', maxJobs: 1 });
    await next.stopped;
    expect(seen.map((each) => [each.id, each.attempt])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
  });

  it('close() - entries read but not started are given back: the next worker runs them as the attempt they never had', async () => {
    const prefix = uniqueQueueName('consume');
    const producer = await boot(prefix, [Gated]);
    for (const id of ['a', 'b', 'c']) await producer.dispatch(new Note(id));
    const app = await boot(prefix, [Gated]);
    const worker = await app.work({ connection: 'log' });
    await waitFor('the first entry to start', () => seen.length === 1);
    const closing = worker.close();
    releaseGate();
    await closing;
    expect(seen.map((each) => each.id)).toEqual(['a']);
    // Given back: claimable at once (idle = claimAfter), by a worker that claims as soon as it starts.
    const later = await boot(prefix, [Gated]);
    await later.work({ connection: 'log' });
    await waitFor('the given-back entries', () => seen.length === 3, {
      describe: () => JSON.stringify(seen),
    });
    expect(seen.map((each) => [each.id, each.attempt])).toEqual([
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    const counts = `${prefix}:*:attempts:*`; // acknowledged: no count left behind, not even a "0"
    await waitFor('no attempt count', async () => (await env.redis.keys(counts)).length === 0);
  });

  it('work() - Redis unreachable: rejects with queue_unavailable after unavailableTimeout', async () => {
    const app = await createHerald({
      listeners: [FromNew],
      queue: {
        connections: { log: { driver: 'streams', url: 'redis://127.0.0.1:1', unavailableTimeout: 300 } },
      },
    });
    env.apps.push(app);
    const error = await app.work({ connection: 'log' }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(HeraldError.is(error, 'queue_unavailable')).toBe(true);
    expect((error as Error).message).toMatch(/could not reach Redis at 127\.0\.0\.1:1/);
  });
});
