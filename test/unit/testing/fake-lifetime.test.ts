import { beforeEach, describe, expect, it } from 'vitest';
import type { EventFake } from '../../../src/testing/index.js';
import { useHerald } from '../dispatch/support.js';
import { clearLog, log, OrderCancelled, OrderShipped, Refund, UpdateStock } from './fake-fixtures.js';

/**
 * How long a fake is active: fakeFor(fn), restore(), a second fake replacing the first, one fake per
 * app, and no fake outliving the test that made it.
 */

beforeEach(clearLog);

const boot = useHerald();

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
