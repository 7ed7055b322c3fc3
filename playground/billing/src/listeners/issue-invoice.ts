import { Listener, type ListenerContext } from 'herald';
import { ActivityLog } from '../../../src/services/activity-log.js';
import { OrderPlaced } from '../events/order-placed.js';

/** Billing's prices, per SKU (the orders app knows stock, not money). */
const PRICES: Readonly<Record<string, number>> = { kettle: 30, teapot: 25 };

/**
 * Reads the orders stream through its own consumer group (named `IssueInvoice`), from the start
 * of the log the first time, so orders placed before billing ever ran are invoiced too. An order
 * it cannot invoice (quantity 0) fails every try, runs `failed()` once and lands in the dead-letter
 * stream: `herald stream:dead IssueInvoice --config playground/billing/herald.config.ts`.
 */
@Listener(OrderPlaced, { connection: 'log', startFrom: 'start', tries: 3, backoff: [100, 200] })
export class IssueInvoice {
  constructor(private readonly log: ActivityLog) {}

  handle(event: OrderPlaced, ctx: ListenerContext): void {
    const price = PRICES[event.sku];
    if (price === undefined || event.quantity < 1) {
      this.log.note(
        'IssueInvoice',
        `attempt ${ctx.attempt}/${ctx.maxTries} for ${event.orderId}: cannot invoice ${event.quantity} ${event.sku}`,
      );
      throw new Error(`cannot invoice ${event.quantity} ${event.sku}`);
    }
    this.log.note(
      'IssueInvoice',
      `invoiced ${event.email} ${event.quantity * price} EUR for ${event.orderId} (entry ${ctx.jobId})`,
    );
  }

  failed(event: OrderPlaced, error: Error): void {
    this.log.note('IssueInvoice', `failed() for ${event.orderId}: ${error.message}; dead-lettered`);
  }
}
