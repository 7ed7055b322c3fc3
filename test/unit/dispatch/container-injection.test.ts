import { Container, inject, injectable } from 'inversify';
import { beforeEach, describe, expect, it } from 'vitest';
import { Listener, On, Subscriber } from '../../../src/index.js';
import {
  clearRecords,
  InvoicePaid,
  Ledger,
  log,
  userContainer,
  WithInject,
  WithMetadataOnly,
} from './container-fixtures.js';
import { rejectsWith, useHerald } from './support.js';

/**
 * Constructor injection into listeners and subscribers: `@inject`, emitted metadata alone, a
 * dependency the container cannot build, and listeners that are also `@injectable()`.
 */

beforeEach(clearRecords);

@Subscriber()
class LedgerSubscriber {
  constructor(private readonly ledger: Ledger) {}
  @On(InvoicePaid) onPaid(event: InvoicePaid): void {
    this.ledger.record(`subscriber ${event.invoiceId}`);
  }
}

@injectable()
@Listener(InvoicePaid)
class InjectableOutside {
  constructor(@inject(Ledger) private readonly ledger: Ledger) {}
  handle(event: InvoicePaid): void {
    this.ledger.record(`outside ${event.invoiceId}`);
  }
}

@Listener(InvoicePaid)
@injectable()
class InjectableInside {
  constructor(private readonly ledger: Ledger) {}
  handle(event: InvoicePaid): void {
    this.ledger.record(`inside ${event.invoiceId}`);
  }
}

class NotBound {}

@Listener(InvoicePaid)
class NeedsUnbound {
  constructor(@inject(NotBound) readonly dep: NotBound) {}
  handle(): void {}
}

const boot = useHerald();

describe('constructor injection', () => {
  it('dispatch() - @inject(Service) in the constructor is honoured (default container)', async () => {
    const herald = await boot({ listeners: [WithInject] });
    await herald.dispatch(new InvoicePaid('i-1'));
    expect(log).toEqual(['inject got a Ledger']);
  });

  it('dispatch() - emitted parameter metadata alone (no @inject) is enough (default container)', async () => {
    const herald = await boot({ listeners: [WithMetadataOnly] });
    await herald.dispatch(new InvoicePaid('i-2'));
    expect(log).toEqual(['metadata got a Ledger']);
  });

  it('dispatch() - @inject and metadata-only injection work with a user container too', async () => {
    const herald = await boot({ listeners: [WithInject, WithMetadataOnly], container: userContainer() });
    await herald.dispatch(new InvoicePaid('i-5'));
    expect(herald.container.get(Ledger).entries).toEqual(['inject i-5', 'metadata i-5']);
  });

  it('dispatch() - a subscriber is built by the container with its injections', async () => {
    const herald = await boot({ listeners: [LedgerSubscriber], container: userContainer() });
    await herald.dispatch(new InvoicePaid('i-3'));
    expect(herald.container.get(Ledger).entries).toEqual(['subscriber i-3']);
  });

  it('dispatch() - listeners with and without @inject share a singleton service', async () => {
    const herald = await boot({ listeners: [WithInject, WithMetadataOnly], container: userContainer() });
    await herald.dispatch(new InvoicePaid('i-4'));
    expect(herald.container.get(Ledger).entries).toEqual(['inject i-4', 'metadata i-4']);
  });

  it('dispatch() - a dependency the container cannot build fails with container_failed naming the listener', async () => {
    const herald = await boot({ listeners: [NeedsUnbound], container: new Container() });
    const error = await rejectsWith(herald.dispatch(new InvoicePaid('x')), 'container_failed');
    expect(error.message).toContain('NeedsUnbound');
    expect(error.cause).toBeInstanceOf(Error);
  });
});

describe('listeners that are also @injectable()', () => {
  it('dispatch() - @injectable() above @Listener works', async () => {
    const herald = await boot({ listeners: [InjectableOutside], container: userContainer() });
    await herald.dispatch(new InvoicePaid('o'));
    expect(herald.container.get(Ledger).entries).toEqual(['outside o']);
  });

  it('dispatch() - @injectable() below @Listener works', async () => {
    const herald = await boot({ listeners: [InjectableInside], container: userContainer() });
    await herald.dispatch(new InvoicePaid('i'));
    expect(herald.container.get(Ledger).entries).toEqual(['inside i']);
  });
});
