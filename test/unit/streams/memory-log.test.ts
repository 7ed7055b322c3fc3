import { describe, expect, it } from 'vitest';
import { Event, HeraldError, Listener, type ListenerContext } from '../../../src/index.js';
import { useHerald } from '../dispatch/support.js';

@Event<Logged>('memlog.logged', { stream: 'memlog' })
class Logged {
  constructor(readonly n: number) {}
}

@Event('memlog.plain')
class Plain {}

const seen: string[] = [];
let failing = false;

@Listener(Logged, { queue: true })
class First {
  handle(event: Logged, ctx: ListenerContext): void {
    seen.push(`First ${event.n} ${ctx.jobId}`);
  }
}

@Listener(Logged, { queue: true, tries: 1 })
class Second {
  handle(event: Logged, ctx: ListenerContext): void {
    seen.push(`Second ${event.n} ${ctx.jobId}`);
    if (failing) throw new Error('second fails');
  }
}

@Listener(Plain, { queue: true })
class OfPlain {
  handle(): void {}
}

const boot = useHerald();

async function dispatchAll(app: Awaited<ReturnType<typeof boot>>, count: number): Promise<void> {
  for (let n = 1; n <= count; n++) await app.dispatch(new Logged(n));
  await app.drain();
}

describe('the memory log (memory standing in for streams)', () => {
  it('one entry per dispatch whatever the listeners; ids increase like Redis ids and are ctx.jobId', async () => {
    seen.length = 0;
    const app = await boot({ listeners: [First, Second] });
    await dispatchAll(app, 3);
    const [state] = await app.streams();
    expect(state).toMatchObject({ stream: 'memlog', partition: 0, length: 3 });
    const ids = [1, 2, 3].map(
      (n) => seen.find((each) => each.startsWith(`First ${n} `))?.split(' ')[2] ?? '',
    );
    expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    const asPairs = ids.map((id) => id.split('-').map(Number) as [number, number]);
    for (let at = 1; at < asPairs.length; at++) {
      const [ms, seq] = asPairs[at] as [number, number];
      const [prevMs, prevSeq] = asPairs[at - 1] as [number, number];
      expect(ms > prevMs || (ms === prevMs && seq > prevSeq)).toBe(true);
    }
    // Both listeners' jobs of one dispatch are the same entry.
    expect(seen.filter((each) => each.startsWith('Second ')).map((each) => each.split(' ')[2])).toEqual(ids);
  });

  it('keeps the last maxLen entries per stream: replay from the start hands only those', async () => {
    seen.length = 0;
    const app = await boot({
      listeners: [First],
      queue: { connections: { memory: { driver: 'memory', maxLen: 2 } } },
    });
    await dispatchAll(app, 5);
    expect((await app.streams())[0]?.length).toBe(2);
    seen.length = 0;
    await app.replay('First', { from: 'start' });
    await app.drain();
    expect(seen.map((each) => each.split(' ')[1])).toEqual(['4', '5']);
  });

  it('replay from an entry id includes that entry; a dead letter whose entry was trimmed is reported', async () => {
    seen.length = 0;
    failing = true;
    const app = await boot({
      listeners: [First, Second],
      queue: { connections: { memory: { driver: 'memory', maxLen: 2 } } },
    });
    await dispatchAll(app, 1);
    const [letter] = await app.deadLetters(Second);
    expect(letter).toMatchObject({ event: 'memlog.logged', attempts: 1, errorKind: 'Error' });
    // Out of tries on a logged event: a dead letter, not a failed job as well.
    await expect(app.failedJobs()).resolves.toEqual([]);
    failing = false;
    await dispatchAll(app, 2);
    const second = seen.find((each) => each.startsWith('First 2 '))?.split(' ')[2] ?? '';
    seen.length = 0;
    await app.replay(First, { from: second });
    await app.drain();
    expect(seen).toEqual([`First 2 ${second}`]);
    await expect(app.retryDead(Second, [letter?.entryId ?? ''])).resolves.toEqual({
      retried: [],
      trimmed: [letter?.entryId],
      unknown: [],
    });
    await expect(app.deadLetters(Second)).resolves.toHaveLength(1);
  });

  it('a memory listener of an event that names no stream has no log to replay', async () => {
    const app = await boot({ listeners: [OfPlain] });
    const error = await app.replay(OfPlain, { from: 'start' }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'invalid_argument')).toBe(true);
    expect((error as Error).message).toContain('reads no stream');
    expect((error as Error).message).toContain("@Event(name, { stream: '<stream>' })");
  });

  it('maxLen must be a whole number >= 1', async () => {
    const error = await boot({
      queue: { connections: { memory: { driver: 'memory', maxLen: 0 } } },
    }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'config_invalid')).toBe(true);
    expect((error as Error).message).toContain('"queue.connections.memory.maxLen" must be a whole number');
  });

  it('with no log connection at all, streams() says how to get one', async () => {
    const app = await boot({ queue: { default: 'sync' } });
    const error = await app.streams().catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'invalid_argument')).toBe(true);
    expect((error as Error).message).toContain('no queue connection keeps a log');
  });
});
