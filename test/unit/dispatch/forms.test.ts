import { beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener, type ListenerContext, On, Subscriber } from '../../../src/index.js';
import { rejectsWith, useHerald } from './support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

@Event()
class CartOpened {
  constructor(readonly cartId: string) {}
}

@Event()
class CartClosed {
  constructor(readonly cartId: string) {}
}

interface CartLike {
  readonly cartId: string;
}

@Listener()
class Inferred {
  @On() handle(event: CartOpened, ctx: ListenerContext): void {
    log.push(`inferred ${event.cartId} ${ctx.eventName}`);
  }
}

@Listener()
class NotInferable {
  handle(event: CartOpened): void {
    log.push(event.cartId);
  }
}

@Listener()
class InterfaceParam {
  @On() handle(event: CartLike): void {
    log.push(event.cartId);
  }
}

@Listener([CartOpened, CartClosed])
class BothCarts {
  handle(event: CartOpened | CartClosed): void {
    log.push(`both ${event.constructor.name} ${event.cartId}`);
  }
}

@Subscriber()
class CartSubscriber {
  @On() opened(event: CartOpened): void {
    log.push(`sub opened ${event.cartId}`);
  }
  @On(CartClosed, { queue: 'audit', connection: 'sync' }) closed(
    event: CartClosed,
    ctx: ListenerContext,
  ): void {
    log.push(`sub closed ${event.cartId} on ${ctx.queue}`);
  }
}

@Listener(CartOpened, { name: 'carts.first' })
class NamedOne {
  handle(): void {}
}

@Listener(CartClosed, { name: 'carts.first' })
class NamedTwo {
  handle(): void {}
}

@Event('carts.shared')
class SharedA {}

@Event('carts.shared')
class SharedB {}

@Listener(SharedA)
class OnSharedA {
  handle(): void {}
}

@Listener(SharedB)
class OnSharedB {
  handle(): void {}
}

const boot = useHerald();

describe('listener forms', () => {
  it('@Listener() + @On() - the event is inferred from handle()’s parameter type', async () => {
    const herald = await boot({ listeners: [Inferred] });
    await herald.dispatch(new CartOpened('c-1'));
    await herald.dispatch(new CartClosed('c-1'));
    expect(log).toEqual(['inferred c-1 CartOpened']);
  });

  it('@Listener() without @On() fails at boot, saying to name the event', async () => {
    const error = await rejectsWith(boot({ listeners: [NotInferable] }), 'unknown_event');
    expect(error.message).toContain('NotInferable');
    expect(error.message).toMatch(/@Listener\(OrderShipped\)|name the event/);
  });

  it('@Listener() with an interface parameter fails at boot, saying to name the event', async () => {
    const error = await rejectsWith(boot({ listeners: [InterfaceParam] }), 'unknown_event');
    expect(error.message).toContain('InterfaceParam');
    expect(error.message).toMatch(/name the event explicitly/i);
  });

  it('@Listener([A, B]) - runs for each listed event', async () => {
    const herald = await boot({ listeners: [BothCarts] });
    await herald.dispatch(new CartOpened('o'));
    await herald.dispatch(new CartClosed('c'));
    expect(log).toEqual(['both CartOpened o', 'both CartClosed c']);
  });

  it('@Subscriber - each @On method is a listener named Class.method, with its own options', async () => {
    const herald = await boot({ listeners: [CartSubscriber] });
    expect(herald.getListeners(CartOpened).map((info) => [info.name, info.queued])).toEqual([
      ['CartSubscriber.opened', false],
    ]);
    expect(herald.getListeners(CartClosed).map((info) => [info.name, info.queued, info.queue])).toEqual([
      ['CartSubscriber.closed', true, 'audit'],
    ]);
    await herald.dispatch(new CartOpened('o'));
    await herald.dispatch(new CartClosed('c'));
    expect(log).toEqual(['sub opened o', 'sub closed c on audit']);
  });

  it('createHerald() - registering the same listener class twice registers it once', async () => {
    const herald = await boot({ listeners: [BothCarts, BothCarts] });
    await herald.dispatch(new CartOpened('o'));
    expect(log).toEqual(['both CartOpened o']);
  });

  it('createHerald() - two listeners with one wire name fail at boot with duplicate_name', async () => {
    const error = await rejectsWith(boot({ listeners: [NamedOne, NamedTwo] }), 'duplicate_name');
    expect(error.message).toContain('carts.first');
  });

  it('createHerald() - two events with one wire name fail at boot with duplicate_name naming both', async () => {
    const error = await rejectsWith(boot({ listeners: [OnSharedA, OnSharedB] }), 'duplicate_name');
    expect(error.message).toContain('SharedA');
    expect(error.message).toContain('SharedB');
    expect(error.message).toContain('forms.test.ts');
  });

  it('createHerald() - apps only know the listeners they were given', async () => {
    const first = await boot({ listeners: [Inferred] });
    const second = await boot({ listeners: [BothCarts] });
    await first.dispatch(new CartOpened('1'));
    await second.dispatch(new CartOpened('2'));
    expect(log).toEqual(['inferred 1 CartOpened', 'both CartOpened 2']);
    expect(first.hasListeners(CartClosed)).toBe(false);
  });
});
