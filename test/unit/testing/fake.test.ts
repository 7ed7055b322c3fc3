import { inject } from 'inversify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Dispatchable, Event, EventDispatcher, Listener } from '../../../src/index.js';
import { MemoryDriver } from '../../../src/queue/drivers/memory/memory-driver.js';
import { SyncDriver } from '../../../src/queue/drivers/sync/sync-driver.js';
import { EventFake } from '../../../src/testing/index.js';
import { rejectsWith, useHerald } from '../dispatch/support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

@Event('orders.shipped')
class OrderShipped extends Dispatchable {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {
    super();
  }
}

@Event()
class OrderCancelled {
  constructor(readonly orderId: string) {}
}

@Event()
class UserRegistered {
  constructor(readonly email: string) {}
}

@Event()
class WithCallback {
  constructor(readonly callback: () => void) {}
}

@Listener(OrderShipped)
class UpdateStock {
  handle(event: OrderShipped): string {
    log.push(`stock ${event.orderId}`);
    return 'stock updated';
  }
}

@Listener(OrderShipped, { queue: true })
class SendMail {
  handle(event: OrderShipped): void {
    log.push(`mail ${event.orderId}`);
  }
}

@Listener(OrderShipped, { queue: true, connection: 'sync' })
class SyncConnectionMail {
  handle(event: OrderShipped): void {
    log.push(`sync-connection mail ${event.orderId}`);
  }
}

@Listener(OrderCancelled)
class Refund {
  handle(event: OrderCancelled): void {
    log.push(`refund ${event.orderId}`);
  }
}

@Listener(UserRegistered)
class Welcome {
  handle(event: UserRegistered): void {
    log.push(`welcome ${event.email}`);
  }
}

/** Not faked in one test: its listener dispatches an event that is. */
@Listener(OrderCancelled)
class CancelNotifies {
  constructor(@inject(EventDispatcher) private readonly events: EventDispatcher) {}
  async handle(event: OrderCancelled): Promise<void> {
    log.push(`cancel ${event.orderId}`);
    await this.events.dispatch(new UserRegistered(`${event.orderId}@example.test`));
  }
}

@Listener(WithCallback, { queue: true })
class RunsCallback {
  handle(event: WithCallback): void {
    event.callback();
  }
}

@Listener(WithCallback)
class SyncCallback {
  handle(event: WithCallback): void {
    event.callback();
  }
}

const boot = useHerald();
const WITH_SYNC = {
  queue: { connections: { memory: { driver: 'memory' }, sync: { driver: 'sync' } } },
} as const;

describe('herald.fake()', () => {
  it('fake() - no sync listener runs, no job is pushed to the memory or sync connection', async () => {
    const memoryPush = vi.spyOn(MemoryDriver.prototype, 'push');
    const syncPush = vi.spyOn(SyncDriver.prototype, 'push');
    const herald = await boot({ ...WITH_SYNC, listeners: [UpdateStock, SendMail, SyncConnectionMail] });
    const fake = herald.fake();
    expect(fake).toBeInstanceOf(EventFake);
    await herald.dispatch(new OrderShipped('o-1', 42));
    await OrderShipped.dispatch('o-2', 7);
    await herald.drain();
    expect(log).toEqual([]);
    expect(memoryPush).not.toHaveBeenCalled();
    expect(syncPush).not.toHaveBeenCalled();
    expect(fake.dispatched(OrderShipped).map((event) => event.orderId)).toEqual(['o-1', 'o-2']);
    expect(fake.queued(SendMail).length).toBe(2);
    expect(fake.queued(SyncConnectionMail).length).toBe(2);
  });

  it('fake() - the same app without a fake runs all three (the control for the test above)', async () => {
    const memoryPush = vi.spyOn(MemoryDriver.prototype, 'push');
    const syncPush = vi.spyOn(SyncDriver.prototype, 'push');
    const herald = await boot({ ...WITH_SYNC, listeners: [UpdateStock, SendMail, SyncConnectionMail] });
    await herald.dispatch(new OrderShipped('o-1', 42));
    await herald.drain();
    expect(log.sort()).toEqual(['mail o-1', 'stock o-1', 'sync-connection mail o-1']);
    expect(memoryPush).toHaveBeenCalledTimes(1);
    expect(syncPush).toHaveBeenCalledTimes(1);
  });

  it('fake() - until(), dispatchIf() and dispatchUnless() are faked too', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const fake = herald.fake();
    await expect(herald.until(new OrderShipped('u', 1))).resolves.toBeUndefined();
    await herald.dispatchIf(true, new OrderShipped('if', 1));
    await herald.dispatchUnless(false, new OrderShipped('unless', 1));
    await herald.dispatchIf(false, new OrderShipped('skipped', 1));
    expect(log).toEqual([]);
    expect(fake.dispatched(OrderShipped).map((event) => event.orderId)).toEqual(['u', 'if', 'unless']);
    fake.restore();
    await expect(herald.until(new OrderShipped('after', 1))).resolves.toBe('stock updated');
  });

  it('fake() - records events no listener listens to, and events of listeners registered by listen()', async () => {
    const herald = await boot({ listeners: [] });
    herald.listen(OrderCancelled, (event) => void log.push(`closure ${event.orderId}`));
    const fake = herald.fake();
    await herald.dispatch(new UserRegistered('a@example.test'));
    await herald.dispatch(new OrderCancelled('c-1'));
    expect(log).toEqual([]);
    expect(fake.dispatched(UserRegistered)).toHaveLength(1);
    expect(fake.dispatched(OrderCancelled)).toHaveLength(1);
  });

  it('fake() - records the dispatched instance itself', async () => {
    const herald = await boot({ listeners: [SendMail] });
    const fake = herald.fake();
    const event = new OrderShipped('o-1', 42);
    await herald.dispatch(event);
    expect(fake.dispatched(OrderShipped)[0]).toBe(event);
    expect(fake.queued(SendMail)[0]).toBe(event);
  });

  it('fake() - a payload a queue could not carry still fails the dispatch, and nothing is recorded', async () => {
    const herald = await boot({ listeners: [RunsCallback] });
    const fake = herald.fake();
    const error = await rejectsWith(herald.dispatch(new WithCallback(() => {})), 'not_serializable');
    expect(error.message).toMatch(/callback/);
    expect(fake.dispatched(WithCallback)).toEqual([]);
    expect(fake.queued(RunsCallback)).toEqual([]);
  });

  it('fake() - an event with only sync listeners is never encoded, so any payload is fine', async () => {
    const herald = await boot({ listeners: [SyncCallback] });
    const fake = herald.fake();
    const callback = vi.fn();
    await herald.dispatch(new WithCallback(callback));
    expect(callback).not.toHaveBeenCalled();
    expect(fake.dispatched(WithCallback)).toHaveLength(1);
  });
});

describe('herald.fake([events]) and herald.fakeExcept([events])', () => {
  it('fake([A]) - fakes only A; other events run their listeners', async () => {
    const herald = await boot({ listeners: [UpdateStock, Refund, Welcome] });
    const fake = herald.fake([OrderShipped, UserRegistered]);
    await herald.dispatch(new OrderShipped('o-1', 1));
    await herald.dispatch(new OrderCancelled('o-2'));
    await herald.dispatch(new UserRegistered('u@example.test'));
    expect(log).toEqual(['refund o-2']);
    expect(fake.dispatched(OrderShipped)).toHaveLength(1);
    expect(fake.dispatched(UserRegistered)).toHaveLength(1);
    // Not faked: not recorded either (Laravel records only what it fakes).
    expect(fake.dispatched(OrderCancelled)).toEqual([]);
  });

  it('fakeExcept([A]) - A runs; everything else is faked, including what A’s listeners dispatch', async () => {
    const herald = await boot({ listeners: [UpdateStock, CancelNotifies, Welcome] });
    const fake = herald.fakeExcept([OrderCancelled]);
    await herald.dispatch(new OrderCancelled('o-9'));
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(log).toEqual(['cancel o-9']);
    expect(fake.dispatched(UserRegistered).map((event) => event.email)).toEqual(['o-9@example.test']);
    expect(fake.dispatched(OrderShipped)).toHaveLength(1);
    expect(fake.dispatched(OrderCancelled)).toEqual([]);
  });

  it('fake([]) - an empty list fakes every event, as Event::fake([]) does in Laravel', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const fake = herald.fake([]);
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(log).toEqual([]);
    expect(fake.dispatched(OrderShipped)).toHaveLength(1);
  });
});

describe('herald.fakeFor()', () => {
  it('fakeFor(fn) - fakes while fn runs, returns its value, and restores afterwards', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    let inside: EventFake | undefined;
    const result = await herald.fakeFor(async (fake) => {
      inside = fake;
      await herald.dispatch(new OrderShipped('inside', 1));
      fake.assertDispatched(OrderShipped);
      return 'done';
    });
    expect(result).toBe('done');
    expect(log).toEqual([]);
    expect(inside?.active).toBe(false);
    await herald.dispatch(new OrderShipped('after', 1));
    expect(log).toEqual(['stock after']);
    expect(inside?.dispatched(OrderShipped)).toHaveLength(1);
  });

  it('fakeFor(fn) - restores even when fn throws, and rethrows', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    await expect(
      herald.fakeFor(async () => {
        await herald.dispatch(new OrderShipped('inside', 1));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await herald.dispatch(new OrderShipped('after', 1));
    expect(log).toEqual(['stock after']);
  });

  it('fakeFor(fn, [A]) - fakes only the listed events', async () => {
    const herald = await boot({ listeners: [UpdateStock, Refund] });
    await herald.fakeFor(
      async (fake) => {
        await herald.dispatch(new OrderShipped('o-1', 1));
        await herald.dispatch(new OrderCancelled('o-2'));
        fake.assertDispatched(OrderShipped);
        fake.assertNotDispatched(OrderCancelled);
      },
      [OrderShipped],
    );
    expect(log).toEqual(['refund o-2']);
  });
});

describe('restore() and replacing fakes', () => {
  it('restore() - later dispatches run listeners again; the fake keeps what it recorded; idempotent', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('faked', 1));
    expect(fake.active).toBe(true);
    fake.restore();
    fake.restore();
    expect(fake.active).toBe(false);
    await herald.dispatch(new OrderShipped('real', 1));
    expect(log).toEqual(['stock real']);
    expect(fake.dispatched(OrderShipped).map((event) => event.orderId)).toEqual(['faked']);
  });

  it('fake() twice - the new fake replaces the old, which records nothing more', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const first = herald.fake();
    await herald.dispatch(new OrderShipped('one', 1));
    const second = herald.fake();
    expect(first.active).toBe(false);
    await herald.dispatch(new OrderShipped('two', 1));
    expect(first.dispatched(OrderShipped).map((event) => event.orderId)).toEqual(['one']);
    expect(second.dispatched(OrderShipped).map((event) => event.orderId)).toEqual(['two']);
    expect(log).toEqual([]);
  });

  it('restoring the OLD fake does not remove the new one', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const first = herald.fake();
    const second = herald.fake([OrderShipped]);
    first.restore();
    await herald.dispatch(new OrderShipped('still faked', 1));
    expect(log).toEqual([]);
    expect(second.dispatched(OrderShipped)).toHaveLength(1);
    second.restore();
    await herald.dispatch(new OrderShipped('real', 1));
    expect(log).toEqual(['stock real']);
  });

  it('fakes of two apps are independent', async () => {
    const faked = await boot({ listeners: [UpdateStock] });
    const real = await boot({ listeners: [UpdateStock] });
    const fake = faked.fake();
    await faked.dispatch(new OrderShipped('faked', 1));
    await real.dispatch(new OrderShipped('real', 1));
    expect(log).toEqual(['stock real']);
    expect(fake.dispatched(OrderShipped)).toHaveLength(1);
  });
});

describe('nothing leaks between tests', () => {
  // A test that fails with its fake still active (it never reaches restore()). `it.fails` passes
  // only because the body throws; the next test proves the fake did not outlive its app.
  it.fails('a failing test that leaves its fake active', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const fake = herald.fake();
    await herald.dispatch(new OrderShipped('leaked', 1));
    fake.assertNotDispatched(OrderShipped);
  });

  it('the next test boots its own app and its listeners run, fake-free', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    await herald.dispatch(new OrderShipped('fresh', 1));
    await OrderShipped.dispatch('static', 1);
    expect(log).toEqual(['stock fresh', 'stock static']);
  });
});
