import { AssertionError } from 'node:assert';
import { expect } from 'vitest';
import { Event, Listener, type ListenerContext, On, Subscriber } from '../../../src/index.js';
import { useHerald } from '../dispatch/support.js';

/**
 * What the EventFake assertion tests share: the events and listeners they dispatch to and assert
 * on, {@link failure} to read an assertion's message, and {@link useFakedHerald} to boot apps.
 */

/** The event most assertions are about (wire name `orders.shipped`). */
@Event('orders.shipped')
export class OrderShipped {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {}
}

/** Another order event, with its class name as wire name. */
@Event()
export class OrderCancelled {
  constructor(readonly orderId: string) {}
}

/** An event outside the `orders.*` pattern. */
@Event()
export class UserRegistered {
  constructor(readonly email: string) {}
}

/** An order event only closures and plain classes listen to (through listen()). */
@Event('orders.refunded')
export class OrderRefunded {
  constructor(readonly orderId: string) {}
}

/** A sync listener: never queued. */
@Listener(OrderShipped)
export class UpdateStock {
  handle(_event: OrderShipped): void {}
}

/** A queued listener. */
@Listener(OrderShipped, { queue: true })
export class SendShipmentNotification {
  handle(_event: OrderShipped): void {}
}

/** A queued listener with its own wire name, `audit.shipped`. */
@Listener(OrderShipped, { queue: 'audit', name: 'audit.shipped' })
export class AuditShipment {
  handle(_event: OrderShipped): void {}
}

/** Queued only for big orders: shouldQueue() is what "would have been pushed" respects. */
@Listener(OrderShipped, { queue: true })
export class BigOrderAlert {
  shouldQueue(event: OrderShipped): boolean {
    return event.total >= 100;
  }
  handle(_event: OrderShipped): void {}
}

/** A subscriber with a sync method and a queued one. */
@Subscriber()
export class OrderSubscriber {
  @On(OrderCancelled) onCancelled(_event: OrderCancelled): void {}
  @On(UserRegistered, { queue: true }) onRegistered(_event: UserRegistered): void {}
}

/** A wildcard listener of every `orders.*` event. */
@Listener('orders.*')
export class AnyOrder {
  handle(_event: object, _ctx: ListenerContext): void {}
}

/** Decorated, never registered in any app of these tests. */
@Listener(OrderShipped, { queue: true })
export class NeverRegistered {
  handle(_event: OrderShipped): void {}
}

/** A plain class given to listen(). */
export class PlainRefundListener {
  handle(_event: OrderRefunded): void {}
}

/** Runs `fn`, expects node's AssertionError, and returns its message. */
export function failure(fn: () => void): string {
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

/**
 * Registers the afterEach that closes the apps a test booted (call once at the top level of a test
 * file), and returns `boot` and `faked`, which boots an app and fakes all of its events.
 */
export function useFakedHerald() {
  const boot = useHerald();
  async function faked(config: Parameters<typeof boot>[0] = {}) {
    const herald = await boot(config);
    return { herald, fake: herald.fake() };
  }
  return { boot, faked };
}
