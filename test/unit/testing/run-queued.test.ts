import { inject } from 'inversify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Event, EventDispatcher, HeraldError, Listener, type ListenerContext } from '../../../src/index.js';
import { MemoryDriver } from '../../../src/queue/drivers/memory/memory-driver.js';
import { rejectsWith, useHerald } from '../dispatch/support.js';

const log: string[] = [];
const received: object[] = [];
let queueBigOnly = false;
beforeEach(() => {
  log.length = 0;
  received.length = 0;
  queueBigOnly = false;
});
afterEach(() => {
  vi.restoreAllMocks();
});

@Event('orders.shipped')
class OrderShipped {
  constructor(
    readonly orderId: string,
    readonly at: Date,
    readonly tags: Set<string> = new Set(['new']),
  ) {}
}

@Event()
class ReceiptSent {
  constructor(readonly orderId: string) {}
}

@Listener(OrderShipped, { queue: true })
class SendMail {
  handle(event: OrderShipped, ctx: ListenerContext): void {
    received.push(event);
    log.push(`mail ${event.orderId} attempt ${ctx.attempt}/${ctx.maxTries} on ${ctx.queue}`);
  }
}

@Listener(OrderShipped)
class SyncStock {
  handle(event: OrderShipped): void {
    log.push(`stock ${event.orderId}`);
  }
}

/** Fails twice, then succeeds: retries happen, failed() does not run. */
@Listener(OrderShipped, { queue: 'flaky', tries: 3, backoff: 60_000 })
class Flaky {
  handle(event: OrderShipped, ctx: ListenerContext): void {
    log.push(`flaky ${event.orderId} attempt ${ctx.attempt}`);
    if (ctx.attempt < 3) throw new Error(`flaky ${ctx.attempt}`);
  }
  failed(): void {
    log.push('flaky failed()');
  }
}

/** Always fails: every attempt runs, then failed() exactly once. */
@Listener(OrderShipped, { queue: true, tries: 2, delay: 60_000 })
class AlwaysFails {
  handle(event: OrderShipped, ctx: ListenerContext): void {
    log.push(`fails ${event.orderId} attempt ${ctx.attempt}`);
    throw new Error(`smtp down (${event.orderId})`);
  }
  failed(event: OrderShipped, error: Error): void {
    log.push(`failed(${event.orderId}, ${error.message})`);
  }
}

@Listener(OrderShipped, { queue: true })
class Later {
  handle(event: OrderShipped): void {
    log.push(`later ${event.orderId}`);
  }
}

@Listener(OrderShipped, { queue: true })
class SometimesQueued {
  shouldQueue(event: OrderShipped): boolean {
    return !queueBigOnly || event.orderId === 'big';
  }
  handle(event: OrderShipped): void {
    log.push(`sometimes ${event.orderId}`);
  }
}

@Listener(OrderShipped, { queue: true })
class SendsReceipt {
  constructor(@inject(EventDispatcher) private readonly events: EventDispatcher) {}
  async handle(event: OrderShipped): Promise<void> {
    log.push(`receipt for ${event.orderId}`);
    await this.events.dispatch(new ReceiptSent(event.orderId));
  }
}

@Listener(ReceiptSent, { queue: true })
class ArchiveReceipt {
  handle(event: ReceiptSent): void {
    log.push(`archive ${event.orderId}`);
  }
}

const boot = useHerald();
const AT = new Date('2024-05-06T07:08:09.010Z');

describe('runQueued()', () => {
  it('runs the recorded queued listeners in order, and only those (no sync listener)', async () => {
    const herald = await boot({ listeners: [SendMail, SyncStock, Later] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('o-1', AT));
    await herald.dispatch(new OrderShipped('o-2', AT));
    expect(log).toEqual([]);
    await fake.runQueued();
    expect(log).toEqual([
      'mail o-1 attempt 1/1 on default',
      'later o-1',
      'mail o-2 attempt 1/1 on default',
      'later o-2',
    ]);
  });

  it('empties the queued list: a second call runs nothing, assertQueued then fails', async () => {
    const herald = await boot({ listeners: [SendMail] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('o-1', AT));
    fake.assertQueued(SendMail);
    await fake.runQueued();
    expect(fake.queued(SendMail)).toEqual([]);
    expect(() => fake.assertQueued(SendMail)).toThrow(
      'Expected SendMail to be queued, but it was not. Nothing was queued.',
    );
    await fake.runQueued();
    expect(log).toEqual(['mail o-1 attempt 1/1 on default']);
    // The dispatch itself stays recorded.
    fake.assertDispatched(OrderShipped);
  });

  it('the listener gets a decoded copy of the event: Date and Set revived, not the same instance', async () => {
    const herald = await boot({ listeners: [SendMail] });
    const fake = herald.fake();
    const original = new OrderShipped('o-1', AT, new Set(['gift']));
    await herald.dispatch(original);
    await fake.runQueued();
    const copy = received[0] as OrderShipped;
    expect(copy).not.toBe(original);
    expect(copy).toBeInstanceOf(OrderShipped);
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at).not.toBe(original.at);
    expect(copy.at.toISOString()).toBe('2024-05-06T07:08:09.010Z');
    expect(copy.tags).toEqual(new Set(['gift']));
  });

  it('the payload is encoded at dispatch: mutating the event afterwards does not reach the listener', async () => {
    const herald = await boot({ listeners: [SendMail] });
    const fake = herald.fake();
    const event = new OrderShipped('o-1', new Date(AT));
    await herald.dispatch(event);
    event.at.setUTCFullYear(1999);
    await fake.runQueued();
    expect((received[0] as OrderShipped).at.toISOString()).toBe('2024-05-06T07:08:09.010Z');
  });

  it('retries happen (back to back: no backoff wait), on the listener’s queue, without failed()', async () => {
    const herald = await boot({ listeners: [Flaky] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('o-1', AT));
    const started = Date.now();
    await fake.runQueued();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(log).toEqual(['flaky o-1 attempt 1', 'flaky o-1 attempt 2', 'flaky o-1 attempt 3']);
  });

  it('a job out of attempts calls failed() once; every job runs; then it rejects with the first failure', async () => {
    const herald = await boot({ listeners: [AlwaysFails, Later] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('o-1', AT));
    await herald.dispatch(new OrderShipped('o-2', AT));
    const error = await rejectsWith(fake.runQueued(), 'listener_failed');
    expect(log).toEqual([
      'fails o-1 attempt 1',
      'fails o-1 attempt 2',
      'failed(o-1, smtp down (o-1))',
      'later o-1',
      'fails o-2 attempt 1',
      'fails o-2 attempt 2',
      'failed(o-2, smtp down (o-2))',
      'later o-2',
    ]);
    expect(error.message).toMatch(
      /^Queued listener AlwaysFails failed while handling orders\.shipped .* after 2 attempt\(s\): smtp down \(o-1\)$/,
    );
    expect((error.cause as Error).message).toBe('smtp down (o-1)');
    expect(fake.queued(AlwaysFails)).toEqual([]);
  });

  it('never pushes to the app’s queue connection, and needs no drain()', async () => {
    const push = vi.spyOn(MemoryDriver.prototype, 'push');
    const herald = await boot({ listeners: [SendMail] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('o-1', AT));
    await fake.runQueued();
    expect(log).toEqual(['mail o-1 attempt 1/1 on default']);
    expect(push).not.toHaveBeenCalled();
  });

  it('shouldQueue() is decided at dispatch, like a real push', async () => {
    const herald = await boot({ listeners: [SometimesQueued] });
    const fake = herald.fake();
    queueBigOnly = true;
    await herald.dispatch(new OrderShipped('small', AT));
    await herald.dispatch(new OrderShipped('big', AT));
    queueBigOnly = false;
    await fake.runQueued();
    expect(log).toEqual(['sometimes big']);
  });

  it('jobs recorded while it runs (a faked event dispatched by a listener) wait for the next call', async () => {
    const herald = await boot({ listeners: [SendsReceipt, ArchiveReceipt] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('o-1', AT));
    await fake.runQueued();
    expect(log).toEqual(['receipt for o-1']);
    fake.assertDispatched(ReceiptSent);
    fake.assertQueued(ArchiveReceipt);
    await fake.runQueued();
    expect(log).toEqual(['receipt for o-1', 'archive o-1']);
  });

  it('still works after restore()', async () => {
    const herald = await boot({ listeners: [SendMail] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('o-1', AT));
    fake.restore();
    await fake.runQueued();
    expect(log).toEqual(['mail o-1 attempt 1/1 on default']);
  });

  it('a listener forgotten since the dispatch fails its job with unknown_listener', async () => {
    const herald = await boot({ listeners: [SendMail] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('o-1', AT));
    herald.forget(OrderShipped);
    const error = await rejectsWith(fake.runQueued(), 'listener_failed');
    expect(HeraldError.is(error.cause, 'unknown_listener')).toBe(true);
  });
});
