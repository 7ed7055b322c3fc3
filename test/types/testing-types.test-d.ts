import { describe, expectTypeOf, it } from 'vitest';
import { Event, type Herald, Listener, type ListenerContext } from '../../src/index.js';
import type { EventFake, ListenedEvent, ListenerClass } from '../../src/testing/index.js';

// Type-level tests of herald/testing: vitest typechecks this file (and tsc -p tsconfig.json does
// too); nothing here runs. Every `@ts-expect-error` must be needed, or the typecheck fails.

@Event()
class OrderShipped {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {}
}

@Event()
class UserRegistered {
  constructor(readonly email: string) {}
}

@Listener(OrderShipped, { queue: true })
class SendShipmentNotification {
  handle(_event: OrderShipped, _ctx: ListenerContext): void {}
}

@Listener(UserRegistered)
class Welcome {
  async handle(_event: UserRegistered): Promise<void> {}
}

/** Not a listener: no handle(). */
class NotAListener {
  run(_event: OrderShipped): void {}
}

declare const herald: Herald;
declare const fake: EventFake;

describe('herald.fake()', () => {
  it('returns an EventFake, and fakeFor passes one to fn and returns fn’s value', () => {
    expectTypeOf(herald.fake()).toEqualTypeOf<EventFake>();
    expectTypeOf(herald.fake([OrderShipped])).toEqualTypeOf<EventFake>();
    expectTypeOf(herald.fakeExcept([OrderShipped])).toEqualTypeOf<EventFake>();
    expectTypeOf(herald.fakeFor((f) => f.dispatched(OrderShipped).length)).toEqualTypeOf<Promise<number>>();
  });
});

describe('event predicates are typed by the event class', () => {
  it('assertDispatched / assertNotDispatched / dispatched infer the event', () => {
    fake.assertDispatched(OrderShipped, (e) => {
      expectTypeOf(e).toEqualTypeOf<OrderShipped>();
      return e.total === 42;
    });
    fake.assertNotDispatched(UserRegistered, (e) => {
      expectTypeOf(e).toEqualTypeOf<UserRegistered>();
      return e.email === 'a';
    });
    expectTypeOf(fake.dispatched(OrderShipped)).toEqualTypeOf<OrderShipped[]>();
    expectTypeOf(fake.dispatched(OrderShipped, (e) => e.orderId === 'o-1')).toEqualTypeOf<OrderShipped[]>();
  });

  it('a predicate that reads what the event lacks, or returns no boolean, is an error', () => {
    // @ts-expect-error OrderShipped has no email
    fake.assertDispatched(OrderShipped, (e) => e.email === 'a');
    // @ts-expect-error the predicate must return a boolean
    fake.assertDispatched(OrderShipped, (e) => e.orderId);
    // @ts-expect-error a predicate of another event
    fake.assertDispatched(OrderShipped, (e: UserRegistered) => e.email === 'a');
    // @ts-expect-error OrderShipped has no email
    fake.assertNotDispatched(OrderShipped, (e) => e.email === 'a');
    // @ts-expect-error OrderShipped has no email
    fake.dispatched(OrderShipped, (e) => e.email === 'a');
  });

  it('assertDispatched takes a count; assertDispatchedTimes takes only a count', () => {
    fake.assertDispatched(OrderShipped, 2);
    fake.assertDispatchedTimes(OrderShipped, 2);
    // @ts-expect-error a string is neither a predicate nor a count
    fake.assertDispatched(OrderShipped, '2');
    // @ts-expect-error the count is required
    fake.assertDispatchedTimes(OrderShipped);
  });

  it('events must be classes', () => {
    // @ts-expect-error an instance, not the class
    fake.assertDispatched(new OrderShipped('o-1', 1));
    // @ts-expect-error a wire name is not an event class here
    fake.dispatched('OrderShipped');
  });
});

describe('assertQueued takes listener classes', () => {
  it('infers the event from the listener’s handle()', () => {
    fake.assertQueued(SendShipmentNotification, (e) => {
      expectTypeOf(e).toEqualTypeOf<OrderShipped>();
      return e.orderId === 'o-1';
    });
    fake.assertNotQueued(SendShipmentNotification, (e) => e.total > 0);
    expectTypeOf(fake.queued(SendShipmentNotification)).toEqualTypeOf<OrderShipped[]>();
    expectTypeOf(fake.queued(Welcome)).toEqualTypeOf<UserRegistered[]>();
    expectTypeOf<ListenedEvent<typeof SendShipmentNotification>>().toEqualTypeOf<OrderShipped>();
  });

  it('a class without handle() is an error, and so is an instance or a closure', () => {
    // @ts-expect-error not a listener class: no handle()
    fake.assertQueued(NotAListener);
    // @ts-expect-error not a listener class: no handle()
    fake.assertNotQueued(NotAListener);
    // @ts-expect-error not a listener class: no handle()
    fake.queued(NotAListener);
    // @ts-expect-error an instance, not the class
    fake.assertQueued(new SendShipmentNotification());
    // @ts-expect-error a closure cannot be queued
    fake.assertQueued((_event: OrderShipped) => {});
    expectTypeOf<typeof NotAListener>().not.toExtend<ListenerClass>();
    expectTypeOf<typeof SendShipmentNotification>().toExtend<ListenerClass>();
  });

  it('the predicate is checked against the listener’s event', () => {
    // @ts-expect-error OrderShipped has no email
    fake.assertQueued(SendShipmentNotification, (e) => e.email === 'a');
    // @ts-expect-error OrderShipped has no email
    fake.assertNotQueued(SendShipmentNotification, (e) => e.email === 'a');
  });

  it('a listener wire name (queued subscriber methods) is accepted, with an untyped event', () => {
    fake.assertQueued('AuditSubscriber.onLogout', (e) => {
      expectTypeOf(e).toEqualTypeOf<object>();
      return true;
    });
    expectTypeOf(fake.queued('AuditSubscriber.onLogout')).toEqualTypeOf<object[]>();
  });
});

describe('assertListening', () => {
  it('takes an event class or wire name, and a listener class, subscriber class or closure', () => {
    fake.assertListening(OrderShipped, SendShipmentNotification);
    fake.assertListening('orders.*', SendShipmentNotification);
    fake.assertListening(OrderShipped, (_event: OrderShipped) => {});
    // @ts-expect-error the listener is required
    fake.assertListening(OrderShipped);
    // @ts-expect-error a listener wire name is not accepted here
    fake.assertListening(OrderShipped, 'SendShipmentNotification');
  });
});

describe('runQueued / restore', () => {
  it('runQueued returns a promise, restore nothing', () => {
    expectTypeOf(fake.runQueued()).toEqualTypeOf<Promise<void>>();
    expectTypeOf(fake.restore()).toEqualTypeOf<void>();
    expectTypeOf(fake.active).toEqualTypeOf<boolean>();
  });
});
