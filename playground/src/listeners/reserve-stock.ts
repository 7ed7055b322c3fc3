import { Listener } from 'herald';
import { OrderPlaced } from '../events/order-placed.js';
import { ActivityLog } from '../services/activity-log.js';
import { Stock } from '../services/stock.js';

/** Sync listener: runs inside the request, first (order 0), and can refuse the order. */
@Listener(OrderPlaced)
export class ReserveStock {
  // No @inject needed: herald's decorator makes TypeScript emit the parameter types.
  constructor(
    private readonly stock: Stock,
    private readonly log: ActivityLog,
  ) {}

  handle(event: OrderPlaced): void {
    const left = this.stock.reserve(event.sku, event.quantity);
    this.log.note(
      'ReserveStock',
      `reserved ${event.quantity} ${event.sku} for ${event.orderId} (${left} left)`,
    );
  }
}
