import { Queue } from 'bullmq';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHerald,
  Event,
  type Herald,
  HeraldError,
  type HeraldWorker,
  type JobReport,
  Listener,
  type ListenerContext,
  type WorkOptions,
} from '../../../src/index.js';
import { testRedisUrl, uniqueQueueName } from '../../support/redis-url.js';

/** `herald.work()` options against real Redis (BullMQ), and on the in-process memory connection. */

const QUEUE = 'pings';

/** What the listeners saw, in order: `start n` / `end n aborted=<bool>`. */
const log: string[] = [];
/** Job numbers whose handler waits for {@link gate} before finishing. */
const gated = new Set<number>();
let gate: Promise<void> = Promise.resolve();
let openGate: () => void = () => {};

function closeGate(): void {
  gate = new Promise((resolve) => {
    openGate = resolve;
  });
}

@Event('work-options.ping')
class Ping {
  constructor(readonly n: number) {}
}

@Listener(Ping, { queue: QUEUE, name: 'work-options.RecordPing' })
class RecordPing {
  async handle(event: Ping, ctx: ListenerContext): Promise<void> {
    log.push(`start ${event.n}`);
    if (gated.has(event.n)) await gate;
    if (event.n < 0) throw new Error(`ping ${event.n} refused`);
    log.push(`end ${event.n} aborted=${ctx.signal.aborted}`);
  }
}

@Event('work-options.doomed')
class Doomed {
  constructor(readonly n: number) {}
}

@Listener(Doomed, { queue: QUEUE, tries: 2, backoff: 50, name: 'work-options.AlwaysFails' })
class AlwaysFails {
  handle(event: Doomed, ctx: ListenerContext): void {
    log.push(`fail ${event.n} attempt ${ctx.attempt}`);
    throw new Error(`doomed ${event.n}`);
  }
}

@Event('work-options.stuck')
class Stuck {
  constructor(readonly n: number) {}
}

/** Ignores its 50 ms timeout and never settles: the worker must stop on its own. */
@Listener(Stuck, { queue: QUEUE, timeout: 50, name: 'work-options.NeverSettles' })
class NeverSettles {
  async handle(event: Stuck): Promise<void> {
    log.push(`stuck ${event.n}`);
    await new Promise(() => {});
  }
}

const LISTENERS = [RecordPing, AlwaysFails, NeverSettles];

function ended(): string[] {
  return log.filter((line) => line.startsWith('end '));
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log: ${log.join(' | ')}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Settles to 'stopped' when the worker stopped within `ms`, else 'running'. */
function stateAfter(worker: HeraldWorker, ms: number): Promise<'stopped' | 'running'> {
  return Promise.race([
    worker.stopped.then(() => 'stopped' as const),
    new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), ms)),
  ]);
}

describe('herald.work() options on bullmq', () => {
  const apps: Herald[] = [];
  const queues: Queue[] = [];

  afterEach(async () => {
    openGate();
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    await Promise.allSettled(queues.splice(0).map((queue) => queue.close()));
    log.length = 0;
    gated.clear();
    gate = Promise.resolve();
  });

  async function app(prefix: string): Promise<Herald> {
    const herald = await createHerald({
      listeners: LISTENERS,
      queue: {
        default: 'redis',
        connections: { redis: { driver: 'bullmq', url: testRedisUrl(), prefix } },
      },
    });
    apps.push(herald);
    return herald;
  }

  function counts(prefix: string): Promise<Record<string, number>> {
    const queue = new Queue(QUEUE, { connection: { url: testRedisUrl() }, prefix });
    queues.push(queue);
    return queue.getJobCounts('wait', 'prioritized', 'active', 'delayed', 'completed', 'failed');
  }

  async function dispatchPings(herald: Herald, count: number, from = 1): Promise<void> {
    for (let n = from; n < from + count; n++) await herald.dispatch(new Ping(n));
  }

  it('maxJobs - handles exactly that many jobs, leaves the rest waiting, and stops', async () => {
    const prefix = uniqueQueueName('work-max');
    const herald = await app(prefix);
    await dispatchPings(herald, 12);
    const worker = await herald.work({ maxJobs: 5 });
    await worker.stopped;
    expect(ended()).toEqual([1, 2, 3, 4, 5].map((n) => `end ${n} aborted=false`));
    expect(worker.processed).toBe(5);
    expect(await counts(prefix)).toMatchObject({ wait: 7, active: 0, completed: 5, failed: 0 });
  });

  it('maxJobs - with concurrency above 1 and several queues, never runs more than maxJobs jobs', async () => {
    const prefix = uniqueQueueName('work-max-conc');
    const herald = await app(prefix);
    await dispatchPings(herald, 12);
    // Two queues (pings + the connection's default), four jobs at once per queue.
    const worker = await herald.work({ maxJobs: 5, concurrency: 4, queues: [QUEUE, 'default'] });
    await worker.stopped;
    expect(worker.processed).toBe(5);
    expect(log.filter((line) => line.startsWith('start '))).toHaveLength(5);
    expect(ended()).toHaveLength(5);
    expect(await counts(prefix)).toMatchObject({ wait: 7, active: 0, completed: 5, failed: 0 });
  });

  it('maxJobs - an attempt that will retry does not use up the budget; no job is lost or run twice', async () => {
    const prefix = uniqueQueueName('work-max-retry');
    const herald = await app(prefix);
    await herald.dispatch(new Doomed(1));
    await dispatchPings(herald, 5);
    const reports: JobReport[] = [];
    const worker = await herald.work({ maxJobs: 2, concurrency: 2, onJob: (report) => reports.push(report) });
    await worker.stopped;
    expect(worker.processed).toBe(2);
    expect(reports.filter((report) => report.outcome !== 'retrying')).toHaveLength(2);
    const after = await counts(prefix);
    const count = (state: string) => after[state] ?? 0;
    expect(count('completed') + count('failed')).toBe(2);
    expect(count('active')).toBe(0);
    // Every one of the 6 jobs is still somewhere: finished, waiting, or delayed for its retry.
    expect(['completed', 'failed', 'wait', 'prioritized', 'delayed'].map(count).reduce((a, b) => a + b)).toBe(
      6,
    );
    const started = log.filter((line) => line.startsWith('start ') || line.startsWith('fail '));
    expect(new Set(started).size).toBe(started.length);
  });

  it('maxJobs - a job fetched beyond the budget goes back untouched: the next worker runs it as attempt 1', async () => {
    const prefix = uniqueQueueName('work-max-back');
    const herald = await app(prefix);
    await dispatchPings(herald, 12);
    const first = await herald.work({ maxJobs: 5, concurrency: 4 });
    await first.stopped;
    const reports: JobReport[] = [];
    const second = await herald.work({ stopWhenEmpty: true, concurrency: 4, onJob: (r) => reports.push(r) });
    await second.stopped;
    expect(reports).toHaveLength(7);
    expect(reports.map((report) => report.attempt)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

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

  it('processed - counts jobs completed or failed for good, not attempts that will retry', async () => {
    const prefix = uniqueQueueName('work-processed');
    const herald = await app(prefix);
    await dispatchPings(herald, 3);
    await herald.dispatch(new Doomed(1));
    const reports: JobReport[] = [];
    const worker = await herald.work({ stopWhenEmpty: true, onJob: (report) => reports.push(report) });
    await worker.stopped;
    expect(worker.processed).toBe(4);
    expect(log.filter((line) => line.startsWith('fail'))).toEqual(['fail 1 attempt 1', 'fail 1 attempt 2']);
    expect(reports.map((report) => report.outcome).sort()).toEqual([
      'completed',
      'completed',
      'completed',
      'failed',
      'retrying',
    ]);
    expect(await counts(prefix)).toMatchObject({ wait: 0, completed: 3, failed: 1 });
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

describe('herald.work() on the memory connection', () => {
  const apps: Herald[] = [];

  afterEach(async () => {
    openGate();
    await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    log.length = 0;
    gated.clear();
    gate = Promise.resolve();
  });

  async function memoryApp(): Promise<Herald> {
    const herald = await createHerald({
      listeners: LISTENERS,
      queue: { default: 'memory', connections: { memory: { driver: 'memory' } } },
    });
    apps.push(herald);
    return herald;
  }

  it('stopWhenEmpty - resolves once the in-process queue has drained, not while a job is active', async () => {
    const herald = await memoryApp();
    closeGate();
    gated.add(2);
    for (let n = 1; n <= 3; n++) await herald.dispatch(new Ping(n));
    const worker = await herald.work({ stopWhenEmpty: true });
    await waitFor('job 2 to start', () => log.includes('start 2'));
    expect(await stateAfter(worker, 300)).toBe('running');
    expect(log).not.toContain('end 2 aborted=false');
    openGate();
    await worker.stopped;
    expect(ended().sort()).toEqual(['end 1 aborted=false', 'end 2 aborted=false', 'end 3 aborted=false']);
  });

  it('stopWhenEmpty - waits for a retry scheduled with a backoff delay', async () => {
    const herald = await memoryApp();
    await herald.dispatch(new Doomed(7));
    const worker = await herald.work({ stopWhenEmpty: true });
    await worker.stopped;
    expect(log).toEqual(['fail 7 attempt 1', 'fail 7 attempt 2']);
  });

  it('stopWhenEmpty with nothing queued stops at once; close() is idempotent; invalid options reject', async () => {
    const herald = await memoryApp();
    const idle = await herald.work({ stopWhenEmpty: true });
    expect(await stateAfter(idle, 1000)).toBe('stopped');
    const open = await herald.work();
    expect(await stateAfter(open, 50)).toBe('running');
    await Promise.all([open.close(), open.close()]);
    await open.close();
    expect(await stateAfter(open, 100)).toBe('stopped');
    const error = await herald.work({ concurrency: 0 }).catch((caught: unknown) => caught);
    expect(HeraldError.is(error, 'invalid_argument')).toBe(true);
    expect((error as Error).message).toMatch(/"concurrency"/);
  });
});
