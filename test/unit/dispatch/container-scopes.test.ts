import { Container } from 'inversify';
import { beforeEach, describe, expect, it } from 'vitest';
import { Listener, On, Subscriber } from '../../../src/index.js';
import { clearRecords, InvoicePaid, instances, log } from './container-fixtures.js';
import { useHerald } from './support.js';

/** Listener scopes: singleton by default (also per subscriber and per app), or transient. */

beforeEach(clearRecords);

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
