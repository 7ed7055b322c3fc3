import { Container } from 'inversify';
import { beforeEach, describe, expect, it } from 'vitest';
import { Listener } from '../../../src/index.js';
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
 * A container the user passes to createHerald() (or a factory of one): herald uses it, its
 * bindings are what listeners receive, and a listener the user bound keeps the user's binding.
 */

beforeEach(clearRecords);

@Listener(InvoicePaid)
class UserBound {
  handle(): void {
    log.push('real UserBound');
  }
}

const boot = useHerald();

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
