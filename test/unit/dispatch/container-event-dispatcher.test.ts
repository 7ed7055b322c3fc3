import { inject, injectable } from 'inversify';
import { beforeEach, describe, expect, it } from 'vitest';
import { Event, EventDispatcher, Listener } from '../../../src/index.js';
import { clearRecords, InvoicePaid, Ledger, log, userContainer, WithInject } from './container-fixtures.js';
import { useHerald } from './support.js';

/** EventDispatcher is bound in the container: services and listeners inject it and dispatch. */

beforeEach(clearRecords);

@Event()
class ReceiptSent {
  constructor(readonly invoiceId: string) {}
}

@injectable()
class Billing {
  constructor(@inject(EventDispatcher) private readonly events: EventDispatcher) {}
  async pay(invoiceId: string): Promise<void> {
    await this.events.dispatch(new InvoicePaid(invoiceId));
  }
}

@Listener(InvoicePaid)
class SendsReceipt {
  constructor(@inject(EventDispatcher) private readonly events: EventDispatcher) {}
  async handle(event: InvoicePaid): Promise<void> {
    log.push(`paid ${event.invoiceId}`);
    await this.events.dispatch(new ReceiptSent(event.invoiceId));
  }
}

@Listener(ReceiptSent)
class ReceiptLog {
  handle(event: ReceiptSent): void {
    log.push(`receipt ${event.invoiceId}`);
  }
}

const boot = useHerald();

describe('EventDispatcher in the container', () => {
  it('container.get(EventDispatcher) - is the dispatcher herald.dispatch uses', async () => {
    const herald = await boot();
    expect(herald.container.get(EventDispatcher)).toBe(herald.events);
  });

  it('dispatch() - a service that injects EventDispatcher can dispatch through it', async () => {
    const container = userContainer();
    container.bind(Billing).toSelf();
    const herald = await boot({ listeners: [WithInject], container });
    await herald.container.get(Billing).pay('b-1');
    expect(container.get(Ledger).entries).toEqual(['inject b-1']);
  });

  it('dispatch() - a listener can inject EventDispatcher and dispatch another event', async () => {
    const herald = await boot({ listeners: [SendsReceipt, ReceiptLog] });
    await herald.dispatch(new InvoicePaid('r-1'));
    expect(log).toEqual(['paid r-1', 'receipt r-1']);
  });

  it('createHerald() - reusing a container for a second app rebinds EventDispatcher to the new one', async () => {
    const container = userContainer();
    await boot({ container });
    const second = await boot({ container });
    expect(container.get(EventDispatcher)).toBe(second.events);
  });
});
