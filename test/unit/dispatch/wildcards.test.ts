import { beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener, type ListenerContext } from '../../../src/index.js';
import { useHerald } from './support.js';

const seen: { listener: string; eventName: string; event: object }[] = [];
beforeEach(() => {
  seen.length = 0;
});

@Event('orders.shipped')
class OrderShipped {
  constructor(readonly orderId: string) {}
}

@Event('orders.line.added')
class OrderLineAdded {
  constructor(readonly sku: string) {}
}

@Event('ordersx')
class OrdersX {}

@Event('users.created')
class UserCreated {}

@Event()
class Unnamed {}

@Listener('orders.*')
class AnyOrder {
  handle(event: object, ctx: ListenerContext): void {
    seen.push({ listener: 'orders.*', eventName: ctx.eventName, event });
  }
}

@Listener('*')
class Everything {
  handle(event: object, ctx: ListenerContext): void {
    seen.push({ listener: '*', eventName: ctx.eventName, event });
  }
}

@Listener('orders.shipped')
class ExactShipped {
  handle(event: object, ctx: ListenerContext): void {
    seen.push({ listener: 'exact', eventName: ctx.eventName, event });
  }
}

@Listener('*.created')
class AnyCreated {
  handle(event: object, ctx: ListenerContext): void {
    seen.push({ listener: '*.created', eventName: ctx.eventName, event });
  }
}

@Listener(OrderShipped)
class ByClass {
  handle(event: OrderShipped, ctx: ListenerContext): void {
    seen.push({ listener: 'class', eventName: ctx.eventName, event });
  }
}

const boot = useHerald();
const names = () => seen.map((entry) => `${entry.listener} <- ${entry.eventName}`);

describe('wildcard listeners', () => {
  it("dispatch() - 'orders.*' receives an event whose @Event name is 'orders.shipped'", async () => {
    const herald = await boot({ listeners: [AnyOrder] });
    const event = new OrderShipped('o-1');
    await herald.dispatch(event);
    expect(names()).toEqual(['orders.* <- orders.shipped']);
    expect(seen[0]?.event).toBe(event);
  });

  it("dispatch() - '*' matches across dots ('orders.*' matches 'orders.line.added')", async () => {
    const herald = await boot({ listeners: [AnyOrder] });
    await herald.dispatch(new OrderLineAdded('sku-1'));
    expect(names()).toEqual(['orders.* <- orders.line.added']);
  });

  it("dispatch() - a lone '*' matches every event, whatever its name", async () => {
    const herald = await boot({ listeners: [Everything] });
    await herald.dispatch(new OrderShipped('o-1'));
    await herald.dispatch(new UserCreated());
    await herald.dispatch(new Unnamed());
    expect(names()).toEqual(['* <- orders.shipped', '* <- users.created', '* <- Unnamed']);
  });

  it('dispatch() - a pattern matches the whole wire name, not a prefix or suffix', async () => {
    const herald = await boot({ listeners: [AnyOrder, AnyCreated] });
    await herald.dispatch(new OrdersX());
    await herald.dispatch(new Unnamed());
    expect(seen).toEqual([]);
    await herald.dispatch(new UserCreated());
    expect(names()).toEqual(['*.created <- users.created']);
  });

  it('dispatch() - a pattern does not match a class name that differs from the wire name', async () => {
    @Listener('OrderShipped')
    class ByClassName {
      handle(event: object, ctx: ListenerContext): void {
        seen.push({ listener: 'by class name', eventName: ctx.eventName, event });
      }
    }
    const herald = await boot({ listeners: [ByClassName] });
    await herald.dispatch(new OrderShipped('o-1'));
    expect(seen).toEqual([]);
  });

  it('dispatch() - an exact wire-name string listens to that event only', async () => {
    const herald = await boot({ listeners: [ExactShipped] });
    await herald.dispatch(new OrderLineAdded('sku'));
    expect(seen).toEqual([]);
    await herald.dispatch(new OrderShipped('o-1'));
    expect(names()).toEqual(['exact <- orders.shipped']);
  });

  it('dispatch() - ctx.eventName is the wire name for class listeners too', async () => {
    const herald = await boot({ listeners: [ByClass] });
    await herald.dispatch(new OrderShipped('o-1'));
    expect(names()).toEqual(['class <- orders.shipped']);
  });

  it('dispatch() - class, exact and wildcard listeners of one event all run, in registration order', async () => {
    const herald = await boot({ listeners: [Everything, ByClass, AnyOrder, ExactShipped, AnyCreated] });
    await herald.dispatch(new OrderShipped('o-1'));
    expect(seen.map((entry) => entry.listener)).toEqual(['*', 'class', 'orders.*', 'exact']);
  });

  it('dispatch() - a wildcard listener registered by listen() works like a decorated one', async () => {
    const herald = await boot();
    const got: string[] = [];
    herald.listen('orders.*', (_event: object, ctx: ListenerContext) => {
      got.push(ctx.eventName);
    });
    await herald.dispatch(new OrderShipped('o-1'));
    await herald.dispatch(new UserCreated());
    await herald.dispatch(new OrderLineAdded('x'));
    expect(got).toEqual(['orders.shipped', 'orders.line.added']);
  });

  it('hasListeners() / getListeners() - a wire-name string finds wildcard listeners', async () => {
    const herald = await boot({ listeners: [AnyOrder, ByClass, AnyCreated] });
    expect(herald.getListeners('orders.shipped').map((info) => info.name)).toEqual(['AnyOrder', 'ByClass']);
    expect(herald.getListeners(OrderLineAdded).map((info) => info.name)).toEqual(['AnyOrder']);
    expect(herald.hasListeners('users.created')).toBe(true);
    expect(herald.hasListeners('payments.failed')).toBe(false);
  });
});
