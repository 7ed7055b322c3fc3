// The README's "Testing your app" example, verbatim from here down: keep the two in sync.
import { createHerald, Event, type Herald, Listener, type ListenerContext } from 'herald';
import type { EventFake } from 'herald/testing';
import { afterEach, beforeEach, expect, it } from 'vitest';

@Event('orders.shipped')
class OrderShipped {
  constructor(
    readonly orderId: string,
    readonly total: number,
    readonly shippedAt: Date,
  ) {}
}

const outbox: string[] = [];

@Listener(OrderShipped, { queue: 'emails', tries: 3 })
class SendShipmentNotification {
  shouldQueue(event: OrderShipped): boolean {
    return event.total > 0; // free orders get no email
  }

  async handle(event: OrderShipped, ctx: ListenerContext): Promise<void> {
    if (ctx.attempt === 1) throw new Error('SMTP hiccup'); // retried: tries: 3
    outbox.push(`${event.orderId} shipped ${event.shippedAt.toISOString()}`);
  }
}

// The code under test: a route handler that dispatches.
async function shipOrder(herald: Herald, body: { orderId: string; total: number }) {
  await herald.dispatch(new OrderShipped(body.orderId, body.total, new Date('2024-05-01T12:00:00Z')));
  return { status: 202 };
}

let herald: Herald;
let fake: EventFake;

beforeEach(async () => {
  outbox.length = 0;
  herald = await createHerald({ listeners: [SendShipmentNotification] });
  fake = herald.fake(); // or herald.fake([OrderShipped]) / herald.fakeExcept([...])
});

afterEach(async () => {
  fake.restore(); // always: a fake left active would swallow the next test's events
  await herald.close();
});

it('ships the order', async () => {
  const response = await shipOrder(herald, { orderId: 'o-1', total: 42 });

  expect(response.status).toBe(202);
  fake.assertDispatched(OrderShipped, (e) => e.total === 42); // e: OrderShipped
  fake.assertDispatchedTimes(OrderShipped, 1);
  fake.assertQueued(SendShipmentNotification, (e) => e.orderId === 'o-1');
  expect(outbox).toEqual([]); // faked: no listener ran, no job was pushed
});

it('emails the customer', async () => {
  await shipOrder(herald, { orderId: 'o-1', total: 42 });

  await fake.runQueued(); // the recorded jobs, inline: retries, failed(), a decoded event

  expect(outbox).toEqual(['o-1 shipped 2024-05-01T12:00:00.000Z']);
});

it('sends no email for a free order', async () => {
  await shipOrder(herald, { orderId: 'o-2', total: 0 });

  fake.assertDispatched(OrderShipped);
  fake.assertNotQueued(SendShipmentNotification); // shouldQueue() said no
});

it('says what happened when an assertion fails', async () => {
  await shipOrder(herald, { orderId: 'o-1', total: 42 });

  expect(() => fake.assertDispatchedTimes(OrderShipped, 2)).toThrow(
    'Expected OrderShipped to be dispatched 2 times, but it was dispatched 1 time. Dispatched: OrderShipped ×1.',
  );
});
