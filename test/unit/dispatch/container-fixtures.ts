import { Container, inject } from 'inversify';
import { Event, Listener } from '../../../src/index.js';

/**
 * What the container tests share: the event every listener handles, a `Ledger` service to inject,
 * two listeners that inject it (with `@inject` and by emitted metadata alone), and the records the
 * listeners write to. Each test file clears the records before every test with {@link clearRecords}.
 */

/** Every listener or subscriber instance built, in order (scope tests count them). */
export const instances: object[] = [];
/** What the listeners did, in order. */
export const log: string[] = [];

/** Empties {@link instances} and {@link log}; call it in a `beforeEach`. */
export function clearRecords(): void {
  instances.length = 0;
  log.length = 0;
}

@Event()
export class InvoicePaid {
  constructor(readonly invoiceId: string) {}
}

/** A service the listeners receive from the container. */
export class Ledger {
  readonly entries: string[] = [];
  record(entry: string): void {
    this.entries.push(entry);
  }
}

@Listener(InvoicePaid)
export class WithInject {
  constructor(@inject(Ledger) private readonly ledger: Ledger) {}
  handle(event: InvoicePaid): void {
    log.push(`inject got a ${this.ledger.constructor.name}`);
    this.ledger.record(`inject ${event.invoiceId}`);
  }
}

@Listener(InvoicePaid)
export class WithMetadataOnly {
  constructor(private readonly ledger: Ledger) {}
  handle(event: InvoicePaid): void {
    log.push(`metadata got a ${this.ledger.constructor.name}`);
    this.ledger.record(`metadata ${event.invoiceId}`);
  }
}

/** A user container with `Ledger` bound as a singleton. */
export function userContainer(): Container {
  const container = new Container();
  container.bind(Ledger).toSelf().inSingletonScope();
  return container;
}
