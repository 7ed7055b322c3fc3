import { Listener, type ListenerContext } from 'herald';
import { ActivityLog } from '../services/activity-log.js';

/**
 * Wildcard listener: every `orders.*` event, by wire name; runs last (order 100). Inside an
 * order's transaction it runs after the commit, so a rolled-back order leaves no audit line.
 */
@Listener('orders.*', { order: 100, afterCommit: true })
export class AuditTrail {
  constructor(private readonly log: ActivityLog) {}

  handle(event: { orderId?: string }, ctx: ListenerContext): void {
    this.log.note('AuditTrail', `${ctx.eventName} ${event.orderId ?? ''}`.trim());
  }
}
