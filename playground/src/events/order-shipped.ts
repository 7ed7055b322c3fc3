import { Dispatchable, Event } from 'herald';

/** An order left the warehouse. */
@Event('orders.shipped')
export class OrderShipped extends Dispatchable {
  constructor(
    readonly orderId: string,
    readonly carrier: string,
  ) {
    super();
  }
}
