/**
 * The sample app the test/app projects are built from: one event, one listener that records the
 * ids it handled, and a config that discovers their folders.
 */

/** `src/events/order-placed.ts`. */
export const ORDER_PLACED_SOURCE = `import { Event } from 'herald';

@Event('orders.placed')
export class OrderPlaced {
  constructor(readonly orderId: string) {}
}
`;

/** `src/listeners/record-order.ts`: `handled` lists the order ids it was given. */
export const RECORD_ORDER_SOURCE = `import { Listener } from 'herald';
import { OrderPlaced } from '../events/order-placed.js';

export const handled: string[] = [];

@Listener(OrderPlaced)
export class RecordOrder {
  handle(event: OrderPlaced): void {
    handled.push(event.orderId);
  }
}
`;

/** A `herald.config.ts` that discovers `folders` (relative to the config's own folder). */
export function discoverConfig(folders: readonly string[]): string {
  const list = folders.map((folder) => `'${folder}'`).join(', ');
  return `import { defineConfig } from 'herald';\nexport default defineConfig({ discover: [${list}] });\n`;
}
