import { Dispatchable, Event, Listener } from '../../../src/index.js';

/**
 * What the herald.fake() tests share: the events they dispatch, two sync listeners, and the log
 * the listeners write to (empty while a fake holds them back). Each test file clears the log before
 * every test with {@link clearLog}.
 */

/** What the listeners did, in order. */
export const log: string[] = [];

/** Empties {@link log}; call it in a `beforeEach`. */
export function clearLog(): void {
  log.length = 0;
}

/** A `Dispatchable` event with a wire name, so the static dispatch is faked too. */
@Event('orders.shipped')
export class OrderShipped extends Dispatchable {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {
    super();
  }
}

/** An event whose wire name is its class name. */
@Event()
export class OrderCancelled {
  constructor(readonly orderId: string) {}
}

/** A third event, for fakes that hold back some events and not others. */
@Event()
export class UserRegistered {
  constructor(readonly email: string) {}
}

/** Returns a value, so until() shows whether it ran. */
@Listener(OrderShipped)
export class UpdateStock {
  handle(event: OrderShipped): string {
    log.push(`stock ${event.orderId}`);
    return 'stock updated';
  }
}

/** A sync listener of {@link OrderCancelled}. */
@Listener(OrderCancelled)
export class Refund {
  handle(event: OrderCancelled): void {
    log.push(`refund ${event.orderId}`);
  }
}
