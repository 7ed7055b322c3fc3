import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { MemoryDriver } from '../../../src/queue/drivers/memory/memory-driver.js';
import { SyncDriver } from '../../../src/queue/drivers/sync/sync-driver.js';
import { EventFake } from '../../../src/testing/index.js';
import { rejectsWith, useHerald } from '../dispatch/support.js';
import { clearLog, log, OrderCancelled, OrderShipped, UpdateStock, UserRegistered } from './fake-fixtures.js';

/** herald.fake(): every event is recorded, no listener runs and no job is pushed. */

beforeEach(clearLog);
afterEach(() => {
  vi.restoreAllMocks();
});

@Event()
class WithCallback {
  constructor(readonly callback: () => void) {}
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
