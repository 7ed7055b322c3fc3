import { beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { currentTransaction } from '../../../src/transactions/transaction-scope.js';
import { useHerald } from '../dispatch/support.js';
import { inTransaction } from './support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

@Event('after-commit.order-paid', { afterCommit: true })
class OrderPaid {
  constructor(readonly orderId: string) {}
}

@Event('after-commit.order-noted')
class OrderNoted {
  constructor(readonly orderId: string) {}
}

@Listener(OrderPaid)
class ReceiptMail {
  handle(event: OrderPaid): void {
    log.push(`receipt ${event.orderId} in transaction: ${currentTransaction() !== undefined}`);
  }
}

@Listener(OrderNoted)
class Note {
  handle(event: OrderNoted): void {
    log.push(`note ${event.orderId}`);
  }
}

const boot = useHerald();

describe('@Event({ afterCommit: true })', () => {
  it('dispatch() - outside a transaction runs the listeners at once', async () => {
    const herald = await boot({ listeners: [ReceiptMail] });
    await herald.dispatch(new OrderPaid('o-1'));
    expect(log).toEqual(['receipt o-1 in transaction: false']);
  });

  it('dispatch() - inside a transaction resolves at once and runs the listeners after the commit, outside the scope', async () => {
    const herald = await boot({ listeners: [ReceiptMail] });
    await inTransaction(async () => {
      await herald.dispatch(new OrderPaid('o-1'));
      expect(log).toEqual([]);
    });
    expect(log).toEqual(['receipt o-1 in transaction: false']);
  });

  it('dispatch() - a rolled back transaction drops the event', async () => {
    const herald = await boot({ listeners: [ReceiptMail] });
    await inTransaction(async () => {
      await herald.dispatch(new OrderPaid('o-1'));
    }, 'rollback');
    expect(log).toEqual([]);
  });

  it('dispatch() - after the commit, held events run in dispatch order; other events ran at once', async () => {
    const herald = await boot({ listeners: [ReceiptMail, Note] });
    await inTransaction(async () => {
      await herald.dispatch(new OrderPaid('a'));
      await herald.dispatch(new OrderNoted('b'));
      await herald.dispatch(new OrderPaid('c'));
      expect(log).toEqual(['note b']);
    });
    expect(log).toEqual(['note b', 'receipt a in transaction: false', 'receipt c in transaction: false']);
  });

  it('until() - inside a transaction holds the event and returns undefined', async () => {
    const herald = await boot({ listeners: [ReceiptMail] });
    const result = await inTransaction(() => herald.until(new OrderPaid('o-1')));
    expect(result).toBeUndefined();
    expect(log).toEqual(['receipt o-1 in transaction: false']);
  });

  it('fake() - records a held event at the commit, never one that was rolled back', async () => {
    const herald = await boot({ listeners: [ReceiptMail] });
    const fake = herald.fake();
    await inTransaction(async () => {
      await herald.dispatch(new OrderPaid('kept'));
      fake.assertNotDispatched(OrderPaid);
    });
    await inTransaction(async () => {
      await herald.dispatch(new OrderPaid('dropped'));
    }, 'rollback');
    fake.assertDispatchedTimes(OrderPaid, 1);
    fake.assertDispatched(OrderPaid, (event) => event.orderId === 'kept');
    expect(log).toEqual([]);
    fake.restore();
  });
});
