import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { Event, Listener, type ListenerContext, On, Subscriber } from '../../../src/index.js';
import { useHerald } from '../dispatch/support.js';

@Event('orders.shipped')
class OrderShipped {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {}
}

@Event()
class OrderCancelled {
  constructor(readonly orderId: string) {}
}

@Event()
class UserRegistered {
  constructor(readonly email: string) {}
}

@Event('orders.refunded')
class OrderRefunded {
  constructor(readonly orderId: string) {}
}

@Listener(OrderShipped)
class UpdateStock {
  handle(_event: OrderShipped): void {}
}

@Listener(OrderShipped, { queue: true })
class SendShipmentNotification {
  handle(_event: OrderShipped): void {}
}

@Listener(OrderShipped, { queue: 'audit', name: 'audit.shipped' })
class AuditShipment {
  handle(_event: OrderShipped): void {}
}

/** Queued only for big orders: shouldQueue() is what "would have been pushed" respects. */
@Listener(OrderShipped, { queue: true })
class BigOrderAlert {
  shouldQueue(event: OrderShipped): boolean {
    return event.total >= 100;
  }
  handle(_event: OrderShipped): void {}
}

@Subscriber()
class OrderSubscriber {
  @On(OrderCancelled) onCancelled(_event: OrderCancelled): void {}
  @On(UserRegistered, { queue: true }) onRegistered(_event: UserRegistered): void {}
}

@Listener('orders.*')
class AnyOrder {
  handle(_event: object, _ctx: ListenerContext): void {}
}

/** Decorated, never registered in any app below. */
@Listener(OrderShipped, { queue: true })
class NeverRegistered {
  handle(_event: OrderShipped): void {}
}

/** A plain class given to listen(). */
class PlainRefundListener {
  handle(_event: OrderRefunded): void {}
}

const boot = useHerald();

/** Runs `fn`, expects node's AssertionError, and returns its message. */
function failure(fn: () => void): string {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, 'expected an AssertionError').toBeInstanceOf(AssertionError);
  const error = caught as AssertionError;
  expect(error.code).toBe('ERR_ASSERTION');
  expect(error.operator).toBe('herald.fake');
  expect(error.generatedMessage).toBe(false);
  expect(error.message).not.toContain('\n');
  return error.message;
}

async function faked(config: Parameters<typeof boot>[0] = {}) {
  const herald = await boot(config);
  return { herald, fake: herald.fake() };
}

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

describe('assertListening', () => {
  it('passes for a decorated listener, a subscriber, a wildcard listener, listen() classes and closures', async () => {
    const herald = await boot({
      listeners: [UpdateStock, SendShipmentNotification, OrderSubscriber, AnyOrder],
    });
    const closure = (_event: OrderRefunded) => {};
    herald.listen(OrderRefunded, closure);
    herald.listen(OrderRefunded, PlainRefundListener);
    const wildcardClosure = () => {};
    herald.listen('orders.*', wildcardClosure);
    const fake = herald.fake();
    fake.assertListening(OrderShipped, UpdateStock);
    fake.assertListening(OrderShipped, SendShipmentNotification);
    fake.assertListening(OrderCancelled, OrderSubscriber);
    fake.assertListening(UserRegistered, OrderSubscriber);
    fake.assertListening(OrderShipped, AnyOrder);
    fake.assertListening(OrderRefunded, AnyOrder);
    fake.assertListening(OrderRefunded, closure);
    fake.assertListening(OrderRefunded, PlainRefundListener);
    fake.assertListening(OrderShipped, wildcardClosure);
    // By wire name, too.
    fake.assertListening('orders.shipped', UpdateStock);
    fake.assertListening('orders.anything', AnyOrder);
  });

  it('works without a fake being active (it reads the registrations)', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const fake = herald.fake();
    fake.restore();
    fake.assertListening(OrderShipped, UpdateStock);
  });

  it('fails listing the listeners the event does have', async () => {
    const herald = await boot({ listeners: [UpdateStock, OrderSubscriber, AnyOrder] });
    const notify = () => {};
    herald.listen(OrderShipped, notify);
    herald.listen(OrderShipped, () => {});
    const fake = herald.fake();
    expect(failure(() => fake.assertListening(OrderShipped, SendShipmentNotification))).toBe(
      'Expected SendShipmentNotification to listen to OrderShipped, but it does not. Listeners of OrderShipped: UpdateStock, AnyOrder, notify, closure#2.',
    );
    expect(failure(() => fake.assertListening(OrderShipped, OrderSubscriber))).toMatch(
      /^Expected OrderSubscriber to listen to OrderShipped, but it does not\. /,
    );
    expect(failure(() => fake.assertListening(OrderCancelled, UpdateStock))).toBe(
      'Expected UpdateStock to listen to OrderCancelled, but it does not. Listeners of OrderCancelled: OrderSubscriber.onCancelled.',
    );
  });

  it('fails saying the event has no listeners; an anonymous closure is named as such', async () => {
    const { fake } = await faked({ listeners: [UpdateStock] });
    expect(failure(() => fake.assertListening(UserRegistered, () => {}))).toBe(
      'Expected an anonymous function to listen to UserRegistered, but it does not. UserRegistered has no listeners.',
    );
    expect(failure(() => fake.assertListening('users.*', UpdateStock))).toBe(
      'Expected UpdateStock to listen to users.*, but it does not. users.* has no listeners.',
    );
  });

  it('a listener removed with its unsubscribe function no longer listens', async () => {
    const herald = await boot({ listeners: [] });
    const off = herald.listen(OrderRefunded, PlainRefundListener);
    const fake = herald.fake();
    fake.assertListening(OrderRefunded, PlainRefundListener);
    off();
    expect(failure(() => fake.assertListening(OrderRefunded, PlainRefundListener))).toBe(
      'Expected PlainRefundListener to listen to OrderRefunded, but it does not. OrderRefunded has no listeners.',
    );
  });
});

describe('assertQueued', () => {
  it('passes for a queued listener that would have been pushed, with or without a predicate', async () => {
    const { herald, fake } = await faked({ listeners: [UpdateStock, SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('o-1', 42));
    fake.assertQueued(SendShipmentNotification);
    fake.assertQueued(SendShipmentNotification, (event) => event.orderId === 'o-1');
  });

  it('respects shouldQueue(): only events it accepts are recorded', async () => {
    const { herald, fake } = await faked({ listeners: [BigOrderAlert] });
    await herald.dispatch(new OrderShipped('small', 5));
    await herald.dispatch(new OrderShipped('big', 500));
    expect(fake.queued(BigOrderAlert).map((event) => event.orderId)).toEqual(['big']);
    fake.assertQueued(BigOrderAlert, (event) => event.orderId === 'big');
    fake.assertNotQueued(BigOrderAlert, (event) => event.orderId === 'small');
  });

  it('fails saying shouldQueue() declined, listing what was queued', async () => {
    const { herald, fake } = await faked({ listeners: [BigOrderAlert, SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('small', 5));
    await herald.dispatch(new OrderShipped('small too', 6));
    expect(failure(() => fake.assertQueued(BigOrderAlert))).toBe(
      'Expected BigOrderAlert to be queued, but it was not (its shouldQueue() returned false 2 times). Queued: SendShipmentNotification (OrderShipped) ×2.',
    );
  });

  it('fails for a sync listener, saying it is never queued', async () => {
    const { herald, fake } = await faked({ listeners: [UpdateStock] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(failure(() => fake.assertQueued(UpdateStock))).toBe(
      'Expected UpdateStock to be queued, but it was not (UpdateStock is a sync listener: it runs during dispatch and is never queued). Nothing was queued.',
    );
  });

  it('fails for a listener the app does not know', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(failure(() => fake.assertQueued(NeverRegistered))).toBe(
      'Expected NeverRegistered to be queued, but it was not (NeverRegistered is not a listener registered in this app). Queued: SendShipmentNotification (OrderShipped) ×1.',
    );
  });

  it('fails plainly when its event was not dispatched', async () => {
    const { fake } = await faked({ listeners: [SendShipmentNotification] });
    expect(failure(() => fake.assertQueued(SendShipmentNotification))).toBe(
      'Expected SendShipmentNotification to be queued, but it was not. Nothing was queued.',
    );
  });

  it('with a predicate - fails saying how many of its jobs did not match', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification, AuditShipment] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(
      failure(() => fake.assertQueued(SendShipmentNotification, (event) => event.orderId === 'o-2')),
    ).toBe(
      'Expected SendShipmentNotification to be queued with an event matching the predicate, but none of its 1 job matched. Queued: SendShipmentNotification (OrderShipped) ×1, AuditShipment (OrderShipped) ×1.',
    );
  });

  it('with a predicate - fails plainly when it was not queued at all', async () => {
    const { fake } = await faked({ listeners: [SendShipmentNotification] });
    expect(failure(() => fake.assertQueued(SendShipmentNotification, (event) => event.total > 0))).toBe(
      'Expected SendShipmentNotification to be queued with an event matching the predicate, but it was not. Nothing was queued.',
    );
  });

  it('only events that were faked queue anything (the rest pushed real jobs)', async () => {
    const herald = await boot({ listeners: [SendShipmentNotification] });
    const fake = herald.fake([OrderCancelled]);
    await herald.dispatch(new OrderShipped('o-1', 1));
    await herald.drain();
    expect(failure(() => fake.assertQueued(SendShipmentNotification))).toBe(
      'Expected SendShipmentNotification to be queued, but it was not. Nothing was queued.',
    );
  });

  it('queued subscriber methods and renamed listeners are asserted by wire name', async () => {
    const { herald, fake } = await faked({ listeners: [OrderSubscriber, AuditShipment] });
    await herald.dispatch(new UserRegistered('u@example.test'));
    await herald.dispatch(new OrderShipped('o-1', 1));
    fake.assertQueued('OrderSubscriber.onRegistered');
    fake.assertQueued(
      'OrderSubscriber.onRegistered',
      (event) => (event as UserRegistered).email === 'u@example.test',
    );
    fake.assertQueued('audit.shipped');
    fake.assertQueued(AuditShipment);
    expect(fake.queued('OrderSubscriber.onRegistered')).toHaveLength(1);
    expect(failure(() => fake.assertQueued('OrderSubscriber.onCancelled'))).toBe(
      'Expected OrderSubscriber.onCancelled to be queued, but it was not (OrderSubscriber.onCancelled is a sync listener: it runs during dispatch and is never queued). Queued: OrderSubscriber.onRegistered (UserRegistered) ×1, AuditShipment (OrderShipped) ×1.',
    );
  });
});

describe('assertNotQueued', () => {
  it('passes when not queued', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification, BigOrderAlert] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    fake.assertNotQueued(BigOrderAlert);
    fake.assertNotQueued(SendShipmentNotification, (event) => event.orderId === 'other');
  });

  it('fails with how often it was queued', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(failure(() => fake.assertNotQueued(SendShipmentNotification))).toBe(
      'Expected SendShipmentNotification not to be queued, but it was queued 1 time. Queued: SendShipmentNotification (OrderShipped) ×1.',
    );
  });

  it('with a predicate - fails with how many of its jobs matched', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    await herald.dispatch(new OrderShipped('o-2', 1));
    expect(
      failure(() => fake.assertNotQueued(SendShipmentNotification, (event) => event.orderId === 'o-2')),
    ).toBe(
      'Expected SendShipmentNotification not to be queued with an event matching the predicate, but 1 of its 2 jobs matched. Queued: SendShipmentNotification (OrderShipped) ×2.',
    );
  });
});
