import { beforeEach, describe, expect, it } from 'vitest';
import { Event, HeraldError, Listener } from '../../../src/index.js';
import { currentTransaction } from '../../../src/transactions/transaction-scope.js';
import { useHerald } from '../dispatch/support.js';
import { inTransaction } from './support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

const where = () => (currentTransaction() === undefined ? 'outside' : 'inside');

@Event('after-commit.invoice-sent')
class InvoiceSent {
  constructor(readonly invoiceId: string) {}
}

@Listener(InvoiceSent, { order: 1 })
class Audit {
  handle(event: InvoiceSent): void {
    log.push(`audit ${event.invoiceId} ${where()}`);
  }
}

@Listener(InvoiceSent, { order: 2, afterCommit: true })
class Email {
  handle(event: InvoiceSent): void {
    log.push(`email ${event.invoiceId} ${where()}`);
  }
}

@Listener(InvoiceSent, { order: 3, queue: true, afterCommit: true })
class Archive {
  handle(event: InvoiceSent): void {
    log.push(`archive ${event.invoiceId} ${where()}`);
  }
}

@Listener(InvoiceSent, { order: 4 })
class Count {
  handle(event: InvoiceSent): void {
    log.push(`count ${event.invoiceId} ${where()}`);
  }
}

@Listener(InvoiceSent, { order: 0, afterCommit: true })
class Explodes {
  handle(event: InvoiceSent): void {
    log.push(`explodes ${event.invoiceId}`);
    throw new Error(`smtp down for ${event.invoiceId}`);
  }
}

const boot = useHerald();

describe('@Listener(..., { afterCommit: true })', () => {
  it('dispatch() - outside a transaction every listener runs at once, in order', async () => {
    const herald = await boot({ listeners: [Audit, Email, Count] });
    await herald.dispatch(new InvoiceSent('i-1'));
    expect(log).toEqual(['audit i-1 outside', 'email i-1 outside', 'count i-1 outside']);
  });

  it('dispatch() - inside a transaction only the afterCommit listener waits; the others run at once', async () => {
    const herald = await boot({ listeners: [Audit, Email, Count] });
    await inTransaction(async () => {
      await herald.dispatch(new InvoiceSent('i-1'));
      expect(log).toEqual(['audit i-1 inside', 'count i-1 inside']);
    });
    expect(log).toEqual(['audit i-1 inside', 'count i-1 inside', 'email i-1 outside']);
  });

  it('dispatch() - a rollback drops the held listener, not the ones that ran', async () => {
    const herald = await boot({ listeners: [Audit, Email] });
    await inTransaction(() => herald.dispatch(new InvoiceSent('i-1')), 'rollback');
    expect(log).toEqual(['audit i-1 inside']);
  });

  it('queued afterCommit (memory) - pushed only after the commit, never after a rollback', async () => {
    const herald = await boot({ listeners: [Archive] });
    await inTransaction(async () => {
      await herald.dispatch(new InvoiceSent('kept'));
      await herald.drain();
      expect(log).toEqual([]);
    });
    await inTransaction(() => herald.dispatch(new InvoiceSent('dropped')), 'rollback');
    await herald.drain();
    expect(log).toEqual(['archive kept outside']);
  });

  it('queued afterCommit - a payload that cannot be encoded fails the dispatch inside the transaction', async () => {
    const herald = await boot({ listeners: [Archive] });
    const bad = new InvoiceSent('i-1') as InvoiceSent & { socket?: unknown };
    bad.socket = () => 'not data';
    await expect(inTransaction(() => herald.dispatch(bad))).rejects.toSatisfy(
      (error) => HeraldError.is(error, 'not_serializable') && error.committed === undefined,
    );
  });

  it('held listeners of several dispatches run in dispatch order after the commit', async () => {
    const herald = await boot({ listeners: [Email, Archive] });
    await inTransaction(async () => {
      await herald.dispatch(new InvoiceSent('a'));
      await herald.dispatch(new InvoiceSent('b'));
    });
    expect(log).toEqual(['email a outside', 'email b outside']);
    await herald.drain();
    expect(log.slice(2)).toEqual(['archive a outside', 'archive b outside']);
  });

  it('a listener failing after the commit: rejects with committed: true, the other held work still ran', async () => {
    const herald = await boot({ listeners: [Explodes, Email] });
    let caught: unknown;
    await inTransaction(async () => {
      await herald.dispatch(new InvoiceSent('a'));
      await herald.dispatch(new InvoiceSent('b'));
    }).catch((error: unknown) => {
      caught = error;
    });
    expect(log).toEqual(['explodes a', 'email a outside', 'explodes b', 'email b outside']);
    expect(HeraldError.is(caught, 'listener_failed')).toBe(true);
    const error = caught as HeraldError;
    expect(error.committed).toBe(true);
    expect((error.cause as Error).message).toBe('smtp down for a');
    expect(error.message).toContain('after the transaction committed');
    expect(error.message).toContain('2 of them failed');
  });

  it('a listener failing outside a transaction: the usual listener_failed, no committed flag', async () => {
    const herald = await boot({ listeners: [Explodes, Email] });
    const error = await herald.dispatch(new InvoiceSent('a')).catch((caught: HeraldError) => caught);
    expect(HeraldError.is(error, 'listener_failed')).toBe(true);
    expect((error as HeraldError).committed).toBeUndefined();
    expect(log).toEqual(['explodes a']);
  });

  it('until() - a held listener counts as returning undefined; later listeners still run', async () => {
    const herald = await boot({ listeners: [Email, Count] });
    const result = await inTransaction(() => herald.until(new InvoiceSent('i-1')));
    expect(result).toBeUndefined();
    expect(log).toEqual(['count i-1 inside', 'email i-1 outside']);
  });

  it('listen() - a closure with afterCommit is held too', async () => {
    const herald = await boot();
    herald.listen(InvoiceSent, (event) => log.push(`closure ${event.invoiceId} ${where()}`), {
      afterCommit: true,
    });
    await inTransaction(async () => {
      await herald.dispatch(new InvoiceSent('i-1'));
      expect(log).toEqual([]);
    });
    expect(log).toEqual(['closure i-1 outside']);
  });
});
