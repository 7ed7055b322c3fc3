import { Container, inject } from 'inversify';
import { describe, expect, it } from 'vitest';
import { createHerald, Dispatchable, Event, Listener, type ListenerContext, On } from '../../../src/index.js';

class Stock {
  readonly log: string[] = [];
}

@Event()
class OrderShipped extends Dispatchable {
  constructor(
    readonly orderId: string,
    readonly total: number,
    readonly at: Date,
  ) {
    super();
  }
}

@Listener(OrderShipped)
class UpdateStock {
  constructor(@inject(Stock) private readonly stock: Stock) {}
  handle(event: OrderShipped): void {
    this.stock.log.push(`stock ${event.orderId}`);
  }
}

@Listener()
class Audit {
  constructor(private readonly stock: Stock) {}
  @On() handle(event: OrderShipped, ctx: ListenerContext): void {
    this.stock.log.push(`audit ${event.total} ${ctx.eventName}`);
  }
}

@Listener(OrderShipped, { queue: true, tries: 2 })
class Queued {
  constructor(private readonly stock: Stock) {}
  handle(event: OrderShipped, ctx: ListenerContext): void {
    if (ctx.attempt === 1) throw new Error('flaky');
    this.stock.log.push(`queued ${event.at instanceof Date} ${ctx.attempt}`);
  }
}

describe('smoke', () => {
  it('runs', async () => {
    const container = new Container();
    container.bind(Stock).toSelf().inSingletonScope();
    const herald = await createHerald({ listeners: [UpdateStock, Audit, Queued], container });
    await OrderShipped.dispatch('o-1', 42, new Date());
    await herald.drain();
    expect(herald.container.get(Stock).log).toEqual(['stock o-1', 'audit 42 OrderShipped', 'queued true 2']);
    await herald.close();
  });
});
