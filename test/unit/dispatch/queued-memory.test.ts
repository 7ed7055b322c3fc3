import { performance } from 'node:perf_hooks';
import { inject } from 'inversify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Event, EventDispatcher, Listener, type ListenerContext } from '../../../src/index.js';
import type { QueuedJob } from '../../../src/queue/job-options.js';
import { MemoryDriver } from '../../../src/queue/memory-driver.js';
import { type Gate, gate, nextTurn, sleep, useHerald } from './support.js';

const log: string[] = [];
const times: number[] = [];
const contexts: ListenerContext[] = [];
let hold: Gate | undefined;
beforeEach(() => {
  log.length = 0;
  times.length = 0;
  contexts.length = 0;
  hold = undefined;
});
afterEach(() => {
  hold?.open();
  vi.restoreAllMocks();
});

@Event('reports.requested')
class ReportRequested {
  constructor(readonly reportId: string) {}
}

@Event()
class ReportReady {
  constructor(readonly reportId: string) {}
}

@Listener(ReportRequested, { queue: true })
class BuildReport {
  async handle(event: ReportRequested, ctx: ListenerContext): Promise<void> {
    contexts.push(ctx);
    log.push(`build ${event.reportId}`);
    await sleep(2);
    log.push(`built ${event.reportId}`);
  }
}

@Listener(ReportRequested)
class SyncAck {
  handle(event: ReportRequested): void {
    log.push(`ack ${event.reportId}`);
  }
}

@Listener(ReportRequested, { queue: true, tries: 3, backoff: [10, 30] })
class BacksOff {
  handle(_event: ReportRequested, ctx: ListenerContext): void {
    times.push(performance.now());
    log.push(`attempt ${ctx.attempt}`);
    throw new Error(`disk full ${ctx.attempt}`);
  }
  failed(_event: ReportRequested, error: Error): void {
    log.push(`failed(${error.message})`);
  }
}

@Listener(ReportRequested, { queue: true, tries: 3 })
class SucceedsThird {
  handle(_event: ReportRequested, ctx: ListenerContext): void {
    log.push(`attempt ${ctx.attempt}`);
    if (ctx.attempt < 3) throw new Error('not yet');
  }
  failed(): void {
    log.push('failed()');
  }
}

@Listener(ReportRequested, { queue: true, delay: 30 })
class Delayed {
  handle(event: ReportRequested): void {
    times.push(performance.now());
    log.push(`delayed ${event.reportId}`);
  }
}

function prioritized(name: string, priority: number | undefined) {
  @Listener(ReportRequested, { queue: true, name, ...(priority === undefined ? {} : { priority }) })
  class Prioritized {
    async handle(): Promise<void> {
      log.push(`${name} start`);
      await hold?.promise;
      await sleep(1);
      log.push(`${name} end`);
    }
  }
  return Prioritized;
}
const P3 = prioritized('P3', 3);
const P1 = prioritized('P1', 1);
const PNone = prioritized('PNone', undefined);
const P2 = prioritized('P2', 2);

@Listener(ReportRequested, { queue: true, unique: { id: (event: ReportRequested) => event.reportId } })
class UniqueBuild {
  async handle(event: ReportRequested): Promise<void> {
    log.push(`unique ${event.reportId}`);
    await hold?.promise;
  }
}

@Listener(ReportRequested, {
  queue: true,
  unique: { id: (event: ReportRequested) => event.reportId, ttl: 60_000 },
})
class UniqueWithTtl {
  handle(event: ReportRequested): void {
    log.push(`ttl ${event.reportId}`);
  }
}

@Listener(ReportRequested, { queue: true })
class Blocked {
  async handle(event: ReportRequested): Promise<void> {
    log.push(`blocked ${event.reportId}`);
    await hold?.promise;
    log.push(`unblocked ${event.reportId}`);
  }
}

@Listener(ReportRequested, { queue: true, tries: 2, backoff: 50 })
class RetriesLater {
  async handle(_event: ReportRequested, ctx: ListenerContext): Promise<void> {
    log.push(`attempt ${ctx.attempt}`);
    await hold?.promise;
    throw new Error('try later');
  }
}

@Listener(ReportRequested, { queue: true })
class Chains {
  constructor(@inject(EventDispatcher) private readonly events: EventDispatcher) {}
  async handle(event: ReportRequested): Promise<void> {
    await sleep(2);
    await this.events.dispatch(new ReportReady(event.reportId));
  }
}

@Listener(ReportReady, { queue: true })
class Notify {
  async handle(event: ReportReady): Promise<void> {
    await sleep(2);
    log.push(`ready ${event.reportId}`);
  }
}

@Listener(ReportRequested, { queue: 'reports', timeout: 10 })
class TimesOut {
  handle(_event: ReportRequested, ctx: ListenerContext): Promise<void> {
    contexts.push(ctx);
    return new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)));
  }
  failed(_event: ReportRequested, error: Error): void {
    log.push(`failed ${error.name}`);
  }
}

@Event()
class ReportScheduled {
  constructor(
    readonly reportId: string,
    readonly at: Date,
  ) {}
}

const copies: object[] = [];

@Listener(ReportScheduled, { queue: true })
class KeepsCopy {
  handle(event: ReportScheduled): void {
    copies.push(event);
  }
}

@Listener(ReportRequested, { queue: true, tries: 2, backoff: 0 })
class MethodTimings {
  withDelay(event: ReportRequested): number {
    return event.reportId === 'slow' ? 30 : 0;
  }
  backoff(): number[] {
    return [20];
  }
  handle(event: ReportRequested, ctx: ListenerContext): void {
    times.push(performance.now());
    log.push(`${event.reportId} attempt ${ctx.attempt}`);
    if (ctx.attempt === 1) throw new Error('again');
  }
}

const boot = useHerald();
const ONE_AT_A_TIME = { queue: { connections: { memory: { driver: 'memory', concurrency: 1 } } } } as const;

describe('the memory connection (the default)', () => {
  it('dispatch() - resolves before a queued listener has started; drain() waits for it', async () => {
    const herald = await boot({ listeners: [SyncAck, BuildReport] });
    expect(herald.defaultConnection).toBe('memory');
    await herald.dispatch(new ReportRequested('r-1'));
    expect(log).toEqual(['ack r-1']);
    await herald.drain();
    expect(log).toEqual(['ack r-1', 'build r-1', 'built r-1']);
  });

  it('dispatch() - a queued listener gets the job context of the memory queue', async () => {
    const herald = await boot({ listeners: [BuildReport] });
    await herald.dispatch(new ReportRequested('r-1'));
    await herald.drain();
    expect(contexts[0]).toMatchObject({
      attempt: 1,
      maxTries: 1,
      queue: 'default',
      eventName: 'reports.requested',
    });
    expect(contexts[0]?.jobId).toEqual(expect.any(String));
  });

  it('dispatch() - the queued listener gets a decoded copy of the event, Date revived', async () => {
    copies.length = 0;
    const herald = await boot({ listeners: [KeepsCopy] });
    const original = new ReportScheduled('r-5', new Date('2024-01-02T03:04:05.006Z'));
    await herald.dispatch(original);
    await herald.drain();
    const copy = copies[0] as ReportScheduled;
    expect(copy).not.toBe(original);
    expect(copy).toBeInstanceOf(ReportScheduled);
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at.toISOString()).toBe('2024-01-02T03:04:05.006Z');
  });

  it('drain() - resolves at once when nothing is queued', async () => {
    const herald = await boot({ listeners: [SyncAck] });
    await herald.drain();
    await herald.dispatch(new ReportRequested('r'));
    await herald.drain();
    expect(log).toEqual(['ack r']);
  });

  it('drain() - also waits for jobs that queued jobs dispatch', async () => {
    const herald = await boot({ listeners: [Chains, Notify] });
    await herald.dispatch(new ReportRequested('r-9'));
    await herald.drain();
    expect(log).toEqual(['ready r-9']);
  });

  it('dispatch() - a failing queued job does not reject the dispatch that queued it', async () => {
    const herald = await boot({ listeners: [SucceedsThird] });
    await expect(herald.dispatch(new ReportRequested('r'))).resolves.toBeUndefined();
    await herald.drain();
    expect(log).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
  });

  it('dispatch() - each queued listener is one job; jobs of one dispatch share a dispatchId', async () => {
    const push = vi.spyOn(MemoryDriver.prototype, 'push');
    const herald = await boot({ listeners: [BuildReport, Delayed] });
    await herald.dispatch(new ReportRequested('a'));
    await herald.dispatch(new ReportRequested('b'));
    const jobs = push.mock.calls.map((call) => call[0] as QueuedJob);
    expect(jobs.map((job) => job.data.listener)).toEqual([
      'BuildReport',
      'Delayed',
      'BuildReport',
      'Delayed',
    ]);
    expect(jobs[0]?.data.dispatchId).toBe(jobs[1]?.data.dispatchId);
    expect(jobs[2]?.data.dispatchId).toBe(jobs[3]?.data.dispatchId);
    expect(jobs[0]?.data.dispatchId).not.toBe(jobs[2]?.data.dispatchId);
    expect(jobs[0]?.data).toMatchObject({ v: 1, event: 'reports.requested', meta: {} });
    await herald.close();
  });
});

describe('retries, backoff and delay', () => {
  it('retries - tries: 3 with backoff [10, 30] waits at least those delays, then calls failed() once', async () => {
    const herald = await boot({ listeners: [BacksOff] });
    await herald.dispatch(new ReportRequested('r'));
    await herald.drain();
    expect(log).toEqual(['attempt 1', 'attempt 2', 'attempt 3', 'failed(disk full 3)']);
    const [first = 0, second = 0, third = 0] = times;
    // Lower bounds only (timers may fire ~1 ms early by rounding); never an upper bound.
    expect(second - first).toBeGreaterThanOrEqual(9);
    expect(third - second).toBeGreaterThanOrEqual(29);
  });

  it('retries - a retry that succeeds never calls failed()', async () => {
    const herald = await boot({ listeners: [SucceedsThird] });
    await herald.dispatch(new ReportRequested('r'));
    await herald.drain();
    expect(log).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
  });

  it('delay - a delayed job has not run before its delay, and drain() waits for it', async () => {
    const herald = await boot({ listeners: [Delayed] });
    const start = performance.now();
    await herald.dispatch(new ReportRequested('r-d'));
    await nextTurn();
    expect(log).toEqual([]);
    await herald.drain();
    expect(log).toEqual(['delayed r-d']);
    expect((times[0] ?? 0) - start).toBeGreaterThanOrEqual(29);
  });

  it('withDelay() / backoff() - methods on the listener override the delay and backoff options', async () => {
    const herald = await boot({ listeners: [MethodTimings] });
    const start = performance.now();
    await herald.dispatch(new ReportRequested('slow'));
    await nextTurn();
    expect(log).toEqual([]);
    await herald.drain();
    expect(log).toEqual(['slow attempt 1', 'slow attempt 2']);
    const [first = 0, second = 0] = times;
    expect(first - start).toBeGreaterThanOrEqual(29);
    expect(second - first).toBeGreaterThanOrEqual(19);
  });

  it('timeout - aborts the signal and fails the job on the memory queue too', async () => {
    const herald = await boot({ listeners: [TimesOut] });
    await herald.dispatch(new ReportRequested('r'));
    await herald.drain();
    expect(log).toEqual(['failed HeraldError']);
    expect(contexts[0]?.signal.aborted).toBe(true);
    expect(contexts[0]?.queue).toBe('reports');
  });
});

describe('priority and concurrency', () => {
  it('priority - with concurrency 1, unprioritised jobs start first (as on BullMQ), then by priority, one at a time', async () => {
    const herald = await boot({ ...ONE_AT_A_TIME, listeners: [P3, P1, PNone, P2] });
    await herald.dispatch(new ReportRequested('r'));
    await herald.drain();
    expect(log).toEqual([
      'PNone start',
      'PNone end',
      'P1 start',
      'P1 end',
      'P2 start',
      'P2 end',
      'P3 start',
      'P3 end',
    ]);
  });

  it('priority - a later high-priority job overtakes an earlier lower-priority one that is waiting', async () => {
    hold = gate();
    const herald = await boot({ ...ONE_AT_A_TIME, listeners: [Blocked] });
    await herald.dispatch(new ReportRequested('first'));
    for (let tries = 0; log.length === 0 && tries < 500; tries++) await sleep(2);
    expect(log).toEqual(['blocked first']);
    // Queue: Blocked(second) and P3(second), then P3(third) and P1(third). Unprioritised Blocked
    // goes first; P1, dispatched last, overtakes both P3 jobs that were waiting before it.
    herald.listen(ReportRequested, P3);
    await herald.dispatch(new ReportRequested('second'));
    herald.listen(ReportRequested, P1);
    await herald.dispatch(new ReportRequested('third'));
    hold.open();
    await herald.drain();
    expect(log.filter((line) => line.endsWith('start') || line.startsWith('blocked'))).toEqual([
      'blocked first',
      'blocked second',
      'blocked third',
      'P1 start',
      'P3 start',
      'P3 start',
    ]);
  });

  it('concurrency - the default memory connection runs several jobs at once', async () => {
    hold = gate();
    const herald = await boot({ listeners: [Blocked] });
    await herald.dispatch(new ReportRequested('a'));
    await herald.dispatch(new ReportRequested('b'));
    await sleep(2);
    expect(log).toEqual(['blocked a', 'blocked b']);
    hold.open();
    await herald.drain();
  });

  it('concurrency - concurrency 1 runs one job at a time', async () => {
    hold = gate();
    const herald = await boot({ ...ONE_AT_A_TIME, listeners: [Blocked] });
    await herald.dispatch(new ReportRequested('a'));
    await herald.dispatch(new ReportRequested('b'));
    await sleep(2);
    expect(log).toEqual(['blocked a']);
    hold.open();
    await herald.drain();
    expect(log).toEqual(['blocked a', 'unblocked a', 'blocked b', 'unblocked b']);
  });
});

describe('unique jobs', () => {
  it('unique - a second job with the same id is dropped while the first is pending', async () => {
    hold = gate();
    const herald = await boot({ ...ONE_AT_A_TIME, listeners: [Blocked, UniqueBuild] });
    await herald.dispatch(new ReportRequested('x'));
    await herald.dispatch(new ReportRequested('x'));
    await herald.dispatch(new ReportRequested('y'));
    hold.open();
    await herald.drain();
    expect(log.filter((line) => line.startsWith('unique'))).toEqual(['unique x', 'unique y']);
  });

  it('unique - an id is taken while its job runs, and free again once it completed', async () => {
    hold = gate();
    const herald = await boot({ listeners: [UniqueBuild] });
    await herald.dispatch(new ReportRequested('x'));
    // Wait for the job to start (not a fixed sleep: a loaded machine may take longer).
    for (let tries = 0; log.length === 0 && tries < 500; tries++) await sleep(2);
    expect(log).toEqual(['unique x']);
    await herald.dispatch(new ReportRequested('x'));
    hold.open();
    await herald.drain();
    expect(log).toEqual(['unique x']);
    await herald.dispatch(new ReportRequested('x'));
    await herald.drain();
    expect(log).toEqual(['unique x', 'unique x']);
  });

  it('unique - with a ttl the id stays taken after the job completed', async () => {
    const herald = await boot({ listeners: [UniqueWithTtl] });
    await herald.dispatch(new ReportRequested('x'));
    await herald.drain();
    await herald.dispatch(new ReportRequested('x'));
    await herald.dispatch(new ReportRequested('y'));
    await herald.drain();
    expect(log).toEqual(['ttl x', 'ttl y']);
  });
});

describe('closing', () => {
  it('close() - drops jobs still waiting: they never run', async () => {
    const herald = await boot({ listeners: [Delayed] });
    await herald.dispatch(new ReportRequested('r'));
    await herald.close();
    await sleep(40);
    expect(log).toEqual([]);
  });

  it('close() - waits for the active job, and resolves even when that job asks for a delayed retry', async () => {
    hold = gate();
    const herald = await boot({ listeners: [RetriesLater] });
    await herald.dispatch(new ReportRequested('r'));
    for (let tries = 0; log.length === 0 && tries < 500; tries++) await sleep(2);
    expect(log).toEqual(['attempt 1']);
    const closed = herald.close();
    hold.open();
    const outcome = await Promise.race([closed.then(() => 'closed'), sleep(500).then(() => 'hung')]);
    expect(outcome).toBe('closed');
    await sleep(60);
    expect(log).toEqual(['attempt 1']);
  });
});
