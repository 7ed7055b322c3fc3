import type pg from 'pg';
import { expect, vi } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { currentTransaction } from '../../../src/transactions/transaction-scope.js';
import { committedOrders } from './support.js';

/** What the held listener saw, one line per event it handled. */
export const seen: string[] = [];

/** The pool the listener reads committed rows with (set by each test file). */
export const reader: { pool?: pg.Pool } = {};

@Event('orm-scope.order-saved', { afterCommit: true })
export class OrderSaved {
  constructor(readonly orderId: string) {}
}

@Listener(OrderSaved)
export class RecordSaved {
  async handle(event: OrderSaved): Promise<void> {
    if (event.orderId.startsWith('bad')) throw new Error(`cannot record ${event.orderId}`);
    const visible = (await committedOrders(reader.pool as pg.Pool)).includes(event.orderId);
    seen.push(`${event.orderId} visible=${visible} scope=${currentTransaction() !== undefined}`);
  }
}

/**
 * Held work of an ORM adapter runs after the ORM's commit, detached from the caller: wait for
 * `expected` to be what was seen. For "nothing ran" checks, commit a `sentinel` order afterwards
 * and wait for it: whatever an earlier transaction held would have run before.
 */
export async function expectSeen(expected: readonly string[]): Promise<void> {
  await vi.waitFor(() => expect(seen).toEqual(expected), { timeout: 5_000, interval: 10 });
}
