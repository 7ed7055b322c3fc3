import { Listener, type ListenerContext } from 'herald';
import { OrderPlaced } from '../events/order-placed.js';
import { ActivityLog } from '../services/activity-log.js';

/** Queued and flaky: the CRM times out on the first try and succeeds on the second. */
@Listener(OrderPlaced, { queue: 'crm', tries: 3, backoff: 200, afterCommit: true })
export class SyncToCrm {
  constructor(private readonly log: ActivityLog) {}

  handle(event: OrderPlaced, ctx: ListenerContext): void {
    if (ctx.attempt === 1) {
      this.log.note(
        'SyncToCrm',
        `attempt ${ctx.attempt}/${ctx.maxTries} for ${event.orderId}: CRM timed out, will retry`,
      );
      throw new Error('CRM timed out');
    }
    this.log.note('SyncToCrm', `attempt ${ctx.attempt}/${ctx.maxTries} for ${event.orderId}: synced`);
  }
}
