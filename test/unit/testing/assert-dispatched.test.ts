import { describe, expect, it } from 'vitest';
import {
  failure,
  OrderCancelled,
  OrderShipped,
  UpdateStock,
  UserRegistered,
  useFakedHerald,
} from './assertion-fixtures.js';

/**
 * What was dispatched: assertDispatched, assertDispatchedTimes, assertNotDispatched,
 * assertNothingDispatched, dispatched().
 */

const { boot, faked } = useFakedHerald();

describe('assertDispatched', () => {
  it('passes when dispatched; with a predicate, when one dispatch matches', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderShipped('o-1', 10));
    await herald.dispatch(new OrderShipped('o-2', 42));
    fake.assertDispatched(OrderShipped);
    fake.assertDispatched(OrderShipped, (event) => event.total === 42);
    fake.assertDispatched(OrderShipped, 2);
  });

  it('fails naming what was dispatched instead', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new UserRegistered('a@example.test'));
    await herald.dispatch(new OrderCancelled('o-1'));
    await herald.dispatch(new UserRegistered('b@example.test'));
    expect(failure(() => fake.assertDispatched(OrderShipped))).toBe(
      'Expected OrderShipped to be dispatched, but it was not. Dispatched: UserRegistered ×2, OrderCancelled ×1.',
    );
  });

  it('fails with "Nothing was dispatched." when nothing was', async () => {
    const { fake } = await faked();
    expect(failure(() => fake.assertDispatched(OrderShipped))).toBe(
      'Expected OrderShipped to be dispatched, but it was not. Nothing was dispatched.',
    );
  });

  it('with a predicate - fails saying how many dispatches did not match', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderShipped('o-1', 10));
    await herald.dispatch(new OrderShipped('o-2', 20));
    expect(failure(() => fake.assertDispatched(OrderShipped, (event) => event.total === 42))).toBe(
      'Expected OrderShipped to be dispatched matching the predicate, but none of its 2 dispatches matched. Dispatched: OrderShipped ×2.',
    );
  });

  it('with a predicate - fails saying it was not dispatched at all', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderCancelled('o-1'));
    expect(failure(() => fake.assertDispatched(OrderShipped, (event) => event.total === 42))).toBe(
      'Expected OrderShipped to be dispatched matching the predicate, but it was not dispatched at all. Dispatched: OrderCancelled ×1.',
    );
  });

  it('with times - fails like assertDispatchedTimes', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderShipped('o-1', 10));
    expect(failure(() => fake.assertDispatched(OrderShipped, 2))).toBe(
      'Expected OrderShipped to be dispatched 2 times, but it was dispatched 1 time. Dispatched: OrderShipped ×1.',
    );
  });

  it('the predicate gets the dispatched instances', async () => {
    const { herald, fake } = await faked();
    const event = new OrderShipped('o-1', 10);
    await herald.dispatch(event);
    const seen: OrderShipped[] = [];
    fake.assertDispatched(OrderShipped, (e) => {
      seen.push(e);
      return true;
    });
    expect(seen).toEqual([event]);
    expect(seen[0]).toBe(event);
  });
});

describe('assertDispatchedTimes', () => {
  it('passes on the exact count, including 0', async () => {
    const { herald, fake } = await faked();
    fake.assertDispatchedTimes(OrderShipped, 0);
    await herald.dispatch(new OrderShipped('o-1', 10));
    await herald.dispatch(new OrderShipped('o-2', 10));
    fake.assertDispatchedTimes(OrderShipped, 2);
  });

  it('fails with expected vs actual count and the list (the contract example)', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderShipped('o-1', 10));
    expect(failure(() => fake.assertDispatchedTimes(OrderShipped, 2))).toBe(
      'Expected OrderShipped to be dispatched 2 times, but it was dispatched 1 time. Dispatched: OrderShipped ×1.',
    );
  });

  it('fails when dispatched more often than expected', async () => {
    const { herald, fake } = await faked();
    for (const id of ['a', 'b', 'c']) await herald.dispatch(new OrderShipped(id, 1));
    await herald.dispatch(new OrderCancelled('d'));
    expect(failure(() => fake.assertDispatchedTimes(OrderShipped, 1))).toBe(
      'Expected OrderShipped to be dispatched 1 time, but it was dispatched 3 times. Dispatched: OrderShipped ×3, OrderCancelled ×1.',
    );
    expect(failure(() => fake.assertDispatchedTimes(UserRegistered, 1))).toBe(
      'Expected UserRegistered to be dispatched 1 time, but it was dispatched 0 times. Dispatched: OrderShipped ×3, OrderCancelled ×1.',
    );
  });
});

describe('assertNotDispatched', () => {
  it('passes when not dispatched, or when none matches the predicate', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderShipped('o-1', 10));
    fake.assertNotDispatched(OrderCancelled);
    fake.assertNotDispatched(OrderShipped, (event) => event.total === 42);
  });

  it('fails with how often it was dispatched', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderCancelled('o-1'));
    expect(failure(() => fake.assertNotDispatched(OrderCancelled))).toBe(
      'Expected OrderCancelled not to be dispatched, but it was dispatched 1 time. Dispatched: OrderCancelled ×1.',
    );
  });

  it('with a predicate - fails with how many of its dispatches matched', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderShipped('o-1', 42));
    await herald.dispatch(new OrderShipped('o-2', 10));
    await herald.dispatch(new OrderShipped('o-3', 42));
    expect(failure(() => fake.assertNotDispatched(OrderShipped, (event) => event.total === 42))).toBe(
      'Expected no OrderShipped matching the predicate to be dispatched, but 2 of its 3 dispatches matched. Dispatched: OrderShipped ×3.',
    );
  });
});

describe('assertNothingDispatched', () => {
  it('passes when nothing faked was dispatched (events not faked do not count)', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const fake = herald.fake([OrderCancelled]);
    await herald.dispatch(new OrderShipped('o-1', 1));
    fake.assertNothingDispatched();
  });

  it('fails with one event', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(failure(() => fake.assertNothingDispatched())).toBe(
      'Expected nothing to be dispatched, but 1 event was. Dispatched: OrderShipped ×1.',
    );
  });

  it('fails with several events', async () => {
    const { herald, fake } = await faked();
    await herald.dispatch(new OrderShipped('o-1', 1));
    await herald.dispatch(new UserRegistered('u'));
    await herald.dispatch(new OrderShipped('o-2', 1));
    expect(failure(() => fake.assertNothingDispatched())).toBe(
      'Expected nothing to be dispatched, but 3 events were. Dispatched: OrderShipped ×2, UserRegistered ×1.',
    );
  });
});

describe('dispatched()', () => {
  it('returns the recorded instances of one class, in order, optionally filtered', async () => {
    const { herald, fake } = await faked();
    const a = new OrderShipped('a', 1);
    const b = new OrderShipped('b', 2);
    await herald.dispatch(a);
    await herald.dispatch(new OrderCancelled('x'));
    await herald.dispatch(b);
    expect(fake.dispatched(OrderShipped)).toEqual([a, b]);
    expect(fake.dispatched(OrderShipped, (event) => event.total > 1)).toEqual([b]);
    expect(fake.dispatched(UserRegistered)).toEqual([]);
  });
});
