import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { useHerald } from '../dispatch/support.js';

@Event('fakes.placed', { stream: 'orders' })
class OrderPlaced {
  constructor(
    readonly orderId: string,
    readonly total: number,
  ) {}
}

@Event('fakes.viewed')
class OrderViewed {
  constructor(readonly orderId: string) {}
}

@Listener(OrderPlaced, { queue: true, startFrom: 'start' })
class ProjectRevenue {
  handle(_event: OrderPlaced): void {
    throw new Error('a faked dispatch must not run listeners');
  }
}

const boot = useHerald();

function failure(run: () => void): AssertionError {
  try {
    run();
  } catch (error) {
    if (error instanceof AssertionError) return error;
    throw error;
  }
  throw new Error('expected the assertion to fail');
}

describe('fakes record stream appends (assertStreamed) beside queued stream listeners (assertQueued)', () => {
  it('an event that names a stream, with no local listener: recorded as streamed', async () => {
    const app = await boot({ events: [OrderPlaced, OrderViewed] });
    const fake = app.fake();
    await app.dispatch(new OrderPlaced('o-1', 40));
    await app.dispatch(new OrderViewed('o-1'));
    fake.assertStreamed(OrderPlaced);
    fake.assertStreamed(OrderPlaced, (event) => event.total === 40);
    expect(fake.streamed(OrderPlaced).map((event) => event.orderId)).toEqual(['o-1']);
    expect(fake.streamed(OrderViewed)).toEqual([]);
    fake.restore();
  });

  it('a listener reading the stream is recorded as queued, and the event as streamed', async () => {
    const app = await boot({ listeners: [ProjectRevenue] });
    const fake = app.fake();
    await app.dispatch(new OrderPlaced('o-2', 10));
    fake.assertQueued(ProjectRevenue, (event) => event.orderId === 'o-2');
    fake.assertStreamed(OrderPlaced, (event) => event.orderId === 'o-2');
    fake.restore();
  });

  it('failures name what was streamed, a predicate that matched nothing, and events that name no stream', async () => {
    const app = await boot({ events: [OrderPlaced, OrderViewed] });
    const fake = app.fake();
    expect(failure(() => fake.assertStreamed(OrderPlaced)).message).toBe(
      'Expected OrderPlaced to be streamed, but it was not. Nothing was streamed.',
    );
    await app.dispatch(new OrderPlaced('o-1', 40));
    await app.dispatch(new OrderPlaced('o-2', 50));
    expect(failure(() => fake.assertStreamed(OrderPlaced, (event) => event.total > 100)).message).toBe(
      'Expected OrderPlaced to be streamed matching the predicate, but none of its 2 appends matched. Streamed: orders ← OrderPlaced ×2.',
    );
    await app.dispatch(new OrderViewed('o-1'));
    expect(failure(() => fake.assertStreamed(OrderViewed)).message).toContain(
      'OrderViewed names no stream, so a dispatch never appends it by itself',
    );
    fake.restore();
  });
});
