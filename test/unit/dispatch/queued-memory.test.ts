import { inject } from 'inversify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Event, EventDispatcher, Listener, type ListenerContext } from '../../../src/index.js';
import { type Gate, gate, sleep, useHerald } from './support.js';

/**
 * What only the memory connection does: it is the default, `drain()` waits for it, its
 * `concurrency` option, and `close()` dropping what still waits. Tries, failed(), backoff,
 * delay, priority, unique, timeout and release are pinned for every driver in test/conformance.
 */

const log: string[] = [];
let hold: Gate | undefined;
beforeEach(() => {
  log.length = 0;
  hold = undefined;
});
afterEach(() => {
  hold?.open();
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
  async handle(event: ReportRequested): Promise<void> {
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

@Listener(ReportRequested, { queue: true, delay: 30 })
class Delayed {
  handle(event: ReportRequested): void {
    log.push(`delayed ${event.reportId}`);
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
});

describe('concurrency', () => {
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
