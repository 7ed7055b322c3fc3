import { Listener, type ListenerContext } from 'herald';
import { OrderPlaced } from '../events/order-placed.js';
import { ActivityLog } from '../services/activity-log.js';
import { Outbox } from '../services/outbox.js';

/** Queued listener: the confirmation email goes out on a worker, not in the request. */
@Listener(OrderPlaced, { queue: 'emails', tries: 3, backoff: [100, 500], afterCommit: true })
export class SendOrderConfirmation {
  constructor(
    private readonly outbox: Outbox,
    private readonly log: ActivityLog,
  ) {}

  handle(event: OrderPlaced, ctx: ListenerContext): void {
    this.outbox.send(
      event.email,
      `Order ${event.orderId} confirmed (placed ${event.placedAt.toISOString()})`,
    );
    this.log.note(
      'SendOrderConfirmation',
      `emailed ${event.email} about ${event.orderId} (queue ${ctx.queue}, attempt ${ctx.attempt})`,
    );
  }
}
