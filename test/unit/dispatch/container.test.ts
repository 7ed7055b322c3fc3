import { Container, inject, injectable } from 'inversify';
import { beforeEach, describe, expect, it } from 'vitest';
import { Event, EventDispatcher, Listener, On, Subscriber } from '../../../src/index.js';
import { rejectsWith, useHerald } from './support.js';

const instances: object[] = [];
const log: string[] = [];
beforeEach(() => {
  instances.length = 0;
  log.length = 0;
});

@Event()
class InvoicePaid {
  constructor(readonly invoiceId: string) {}
}

@Event()
class ReceiptSent {
  constructor(readonly invoiceId: string) {}
}

class Ledger {
  readonly entries: string[] = [];
  record(entry: string): void {
    this.entries.push(entry);
  }
}

@Listener(InvoicePaid)
class SingletonListener {
  constructor() {
    instances.push(this);
  }
  handle(): void {
    log.push('singleton');
  }
}

@Listener(InvoicePaid, { scope: 'transient' })
class TransientListener {
  constructor() {
    instances.push(this);
  }
  handle(): void {
    log.push('transient');
  }
}

@Listener(InvoicePaid)
class WithInject {
  constructor(@inject(Ledger) private readonly ledger: Ledger) {}
  handle(event: InvoicePaid): void {
    log.push(`inject got a ${this.ledger.constructor.name}`);
    this.ledger.record(`inject ${event.invoiceId}`);
  }
}

@Listener(InvoicePaid)
class WithMetadataOnly {
  constructor(private readonly ledger: Ledger) {}
  handle(event: InvoicePaid): void {
    log.push(`metadata got a ${this.ledger.constructor.name}`);
    this.ledger.record(`metadata ${event.invoiceId}`);
  }
}

@Subscriber()
class TwoMethodSubscriber {
  constructor() {
    instances.push(this);
  }
  @On(InvoicePaid) first(): void {
    log.push('first');
  }
  @On(InvoicePaid) second(): void {
    log.push('second');
  }
}

@Subscriber()
class LedgerSubscriber {
  constructor(private readonly ledger: Ledger) {}
  @On(InvoicePaid) onPaid(event: InvoicePaid): void {
    this.ledger.record(`subscriber ${event.invoiceId}`);
  }
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

@Listener(InvoicePaid)
class UserBound {
  handle(): void {
    log.push('real UserBound');
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

function userContainer(): Container {
  const container = new Container();
  container.bind(Ledger).toSelf().inSingletonScope();
  return container;
}

const boot = useHerald();

describe('listener scopes', () => {
  it('dispatch() - a listener is a singleton by default: one instance across dispatches', async () => {
    const herald = await boot({ listeners: [SingletonListener] });
    await herald.dispatch(new InvoicePaid('1'));
    await herald.dispatch(new InvoicePaid('2'));
    await herald.dispatch(new InvoicePaid('3'));
    expect(log).toEqual(['singleton', 'singleton', 'singleton']);
    expect(instances).toHaveLength(1);
    expect(herald.container.get(SingletonListener)).toBe(instances[0]);
  });

  it('dispatch() - the methods of one subscriber share one singleton instance', async () => {
    const herald = await boot({ listeners: [TwoMethodSubscriber] });
    await herald.dispatch(new InvoicePaid('1'));
    await herald.dispatch(new InvoicePaid('2'));
    expect(log).toEqual(['first', 'second', 'first', 'second']);
    expect(instances).toHaveLength(1);
    expect(herald.container.get(TwoMethodSubscriber)).toBe(instances[0]);
  });

  it('dispatch() - a singleton listener is a singleton in a user container as well', async () => {
    const container = new Container();
    const herald = await boot({ listeners: [SingletonListener], container });
    await herald.dispatch(new InvoicePaid('1'));
    await herald.dispatch(new InvoicePaid('2'));
    expect(instances).toHaveLength(1);
    expect(container.get(SingletonListener)).toBe(instances[0]);
  });

  it("dispatch() - scope: 'transient' builds a new instance for every dispatch", async () => {
    const herald = await boot({ listeners: [TransientListener] });
    await herald.dispatch(new InvoicePaid('1'));
    await herald.dispatch(new InvoicePaid('2'));
    expect(log).toEqual(['transient', 'transient']);
    expect(instances).toHaveLength(2);
    expect(instances[0]).not.toBe(instances[1]);
  });

  it('dispatch() - two apps build their own singleton instances', async () => {
    const first = await boot({ listeners: [SingletonListener] });
    const second = await boot({ listeners: [SingletonListener] });
    await first.dispatch(new InvoicePaid('1'));
    await second.dispatch(new InvoicePaid('2'));
    expect(instances).toHaveLength(2);
    expect(instances[0]).not.toBe(instances[1]);
  });
});

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

describe('the user container', () => {
  it('createHerald() - a Container passed as `container` is used: herald.container is it', async () => {
    const container = userContainer();
    const herald = await boot({ listeners: [WithInject], container });
    expect(herald.container).toBe(container);
    await herald.dispatch(new InvoicePaid('c-1'));
    expect(container.get(Ledger).entries).toEqual(['inject c-1']);
  });

  it("createHerald() - the user's bindings are what listeners receive", async () => {
    const container = new Container();
    const ledger = new Ledger();
    container.bind(Ledger).toConstantValue(ledger);
    const herald = await boot({ listeners: [WithInject, WithMetadataOnly], container });
    await herald.dispatch(new InvoicePaid('c-2'));
    expect(ledger.entries).toEqual(['inject c-2', 'metadata c-2']);
  });

  it('createHerald() - a factory function for the container is called and its container used', async () => {
    const container = userContainer();
    let calls = 0;
    const herald = await boot({
      listeners: [WithInject],
      container: () => {
        calls++;
        return container;
      },
    });
    expect(calls).toBe(1);
    expect(herald.container).toBe(container);
    await herald.dispatch(new InvoicePaid('c-3'));
    expect(container.get(Ledger).entries).toEqual(['inject c-3']);
  });

  it('createHerald() - an async container factory works too', async () => {
    const container = userContainer();
    const herald = await boot({ listeners: [WithInject], container: async () => container });
    expect(herald.container).toBe(container);
    await herald.dispatch(new InvoicePaid('c-4'));
    expect(container.get(Ledger).entries).toEqual(['inject c-4']);
  });

  it('createHerald() - a factory returning something else is refused with config_invalid', async () => {
    await rejectsWith(
      boot({ container: (() => ({})) as unknown as () => Container, listeners: [WithInject] }),
      'config_invalid',
    );
  });

  it("dispatch() - a listener the user already bound uses the user's binding", async () => {
    const container = new Container();
    const fake = {
      handle: () => {
        log.push('fake UserBound');
      },
    };
    container.bind(UserBound).toConstantValue(fake as unknown as UserBound);
    const herald = await boot({ listeners: [UserBound], container });
    await herald.dispatch(new InvoicePaid('x'));
    expect(log).toEqual(['fake UserBound']);
  });

  it("dispatch() - a listener bound in the user's parent container keeps that binding", async () => {
    const parent = new Container();
    const fake = { handle: () => void log.push('parent UserBound') };
    parent.bind(UserBound).toConstantValue(fake as unknown as UserBound);
    const herald = await boot({ listeners: [UserBound], container: new Container({ parent }) });
    await herald.dispatch(new InvoicePaid('x'));
    expect(log).toEqual(['parent UserBound']);
  });

  it('dispatch() - a user binding of a listener to a subclass is honoured', async () => {
    class LoudUserBound extends UserBound {
      override handle(): void {
        log.push('subclass UserBound');
      }
    }
    const container = new Container();
    container.bind(UserBound).to(LoudUserBound);
    const herald = await boot({ listeners: [UserBound], container });
    await herald.dispatch(new InvoicePaid('x'));
    expect(log).toEqual(['subclass UserBound']);
  });
});

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
