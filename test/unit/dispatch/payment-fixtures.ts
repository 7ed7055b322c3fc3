import { Dispatchable, Event, Listener } from '../../../src/index.js';

/**
 * What the dispatch-error tests share: a `Dispatchable` event, a listener that logs it, one that
 * throws {@link boom}, and the log they write to. Each test file clears the log before every test
 * with {@link clearLog}.
 */

/** What the listeners did, in order. */
export const log: string[] = [];

/** Empties {@link log}; call it in a `beforeEach`. */
export function clearLog(): void {
  log.length = 0;
}

/** The event every test dispatches; `Dispatchable`, so it has the static dispatch methods too. */
@Event('payments.captured')
export class PaymentCaptured extends Dispatchable {
  constructor(
    readonly paymentId: string,
    readonly cents: number,
  ) {
    super();
  }
}

/** The error {@link Exploding} throws, so tests can check it is the cause. */
export const boom = new Error('card declined');

/** Logs, then throws {@link boom}. */
@Listener(PaymentCaptured)
export class Exploding {
  handle(): void {
    log.push('exploding');
    throw boom;
  }
}

/** Logs `after <paymentId>`: shows whether listeners ran. */
@Listener(PaymentCaptured)
export class After {
  handle(event: PaymentCaptured): void {
    log.push(`after ${event.paymentId}`);
  }
}
