import { Dispatchable, Event } from 'herald';

/** A customer placed an order. */
@Event('orders.placed')
export class OrderPlaced extends Dispatchable {
  constructor(
    readonly orderId: string,
    readonly email: string,
    readonly sku: string,
    readonly quantity: number,
    readonly placedAt: Date,
  ) {
    super();
  }
}
