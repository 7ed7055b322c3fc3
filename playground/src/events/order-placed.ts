import { Dispatchable, Event } from 'herald';

/**
 * A customer placed an order. It names the stream `orders`: every dispatch is appended to that
 * log (partitioned by order id), whoever listens — other services subscribe to it there.
 */
@Event('orders.placed', { stream: 'orders', key: (e) => e.orderId })
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
