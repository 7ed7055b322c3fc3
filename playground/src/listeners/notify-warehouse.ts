import { Listener, type ListenerContext } from 'herald';
import { OrderShipped } from '../events/order-shipped.js';
import { ActivityLog } from '../services/activity-log.js';

/** Queued and always failing: shows retries running out and failed() called once. */
@Listener(OrderShipped, { queue: 'warehouse', tries: 2, backoff: 100 })
export class NotifyWarehouse {
  constructor(private readonly log: ActivityLog) {}

  handle(event: OrderShipped, ctx: ListenerContext): void {
    this.log.note(
      'NotifyWarehouse',
      `attempt ${ctx.attempt}/${ctx.maxTries} for ${event.orderId}: warehouse API is down`,
    );
    throw new Error('warehouse API returned 503');
  }

  failed(event: OrderShipped, error: Error): void {
    this.log.note('NotifyWarehouse', `failed() for ${event.orderId} after every attempt: ${error.message}`);
  }
}
