import { Event } from 'herald';

/**
 * Billing's own view of the orders app's `orders.placed`: the same wire name and stream, so the
 * entries the orders app appends decode into this class; only the fields billing needs (the
 * rest of the payload is ignored by billing's code).
 */
@Event('orders.placed', { stream: 'orders', key: (e) => e.orderId })
export class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly email: string,
    readonly sku: string,
    readonly quantity: number,
  ) {}
}
