/**
 * The PostgreSQL part of the playground (DATABASE_URL): one more scripted order, whose payment
 * fails after the insert and the dispatch, and the account of what the database and the
 * listeners show for it.
 */
import type { Activity } from './src/services/activity-log.js';
import type { OrdersDatabase } from './src/services/orders-database.js';

/** The request the playground adds with a database: an order that rolls back. */
export const ROLLED_BACK_STEP = {
  method: 'POST',
  path: '/orders?fail=1',
  body: { email: 'dave@example.com', sku: 'kettle', quantity: 1 },
  why: 'saved and dispatched in a transaction, then the payment fails: it rolls back, so no row, no email, no CRM sync (the in-memory stock ReserveStock took is not in the transaction)',
} as const;

/** The committed orders, and for each rolled-back order what its listeners did (nothing). */
export async function printOrders(orders: OrdersDatabase, activities: readonly Activity[]): Promise<void> {
  console.log('\nOrders in PostgreSQL (table playground_orders), committed:');
  for (const row of await orders.committed())
    console.log(`  ${row.id.padEnd(12)} ${row.email} ${row.quantity} × ${row.sku}`);
  console.log('Rolled back (no row; a queued job or stream entry dispatched inside was never delivered):');
  for (const { orderId, email } of orders.rolledBack) {
    const emails = activities.filter((a) => a.who === 'SendOrderConfirmation' && a.what.includes(orderId));
    console.log(`  ${orderId.padEnd(12)} ${email}: confirmation emails sent ${emails.length}`);
  }
}
