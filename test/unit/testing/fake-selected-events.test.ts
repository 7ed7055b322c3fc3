import { inject } from 'inversify';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventDispatcher, Listener } from '../../../src/index.js';
import { useHerald } from '../dispatch/support.js';
import {
  clearLog,
  log,
  OrderCancelled,
  OrderShipped,
  Refund,
  UpdateStock,
  UserRegistered,
} from './fake-fixtures.js';

/** fake([events]) and fakeExcept([events]): which events a fake holds back, and which run. */

beforeEach(clearLog);

@Listener(UserRegistered)
class Welcome {
  handle(event: UserRegistered): void {
    log.push(`welcome ${event.email}`);
  }
}

/** Not faked in one test: its listener dispatches an event that is. */
@Listener(OrderCancelled)
class CancelNotifies {
  constructor(@inject(EventDispatcher) private readonly events: EventDispatcher) {}
  async handle(event: OrderCancelled): Promise<void> {
    log.push(`cancel ${event.orderId}`);
    await this.events.dispatch(new UserRegistered(`${event.orderId}@example.test`));
  }
}

const boot = useHerald();

describe('herald.fake([events]) and herald.fakeExcept([events])', () => {
  it('fake([A]) - fakes only A; other events run their listeners', async () => {
    const herald = await boot({ listeners: [UpdateStock, Refund, Welcome] });
    const fake = herald.fake([OrderShipped, UserRegistered]);
    await herald.dispatch(new OrderShipped('o-1', 1));
    await herald.dispatch(new OrderCancelled('o-2'));
    await herald.dispatch(new UserRegistered('u@example.test'));
    expect(log).toEqual(['refund o-2']);
    expect(fake.dispatched(OrderShipped)).toHaveLength(1);
    expect(fake.dispatched(UserRegistered)).toHaveLength(1);
    // Not faked: not recorded either (Laravel records only what it fakes).
    expect(fake.dispatched(OrderCancelled)).toEqual([]);
  });

  it('fakeExcept([A]) - A runs; everything else is faked, including what A’s listeners dispatch', async () => {
    const herald = await boot({ listeners: [UpdateStock, CancelNotifies, Welcome] });
    const fake = herald.fakeExcept([OrderCancelled]);
    await herald.dispatch(new OrderCancelled('o-9'));
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(log).toEqual(['cancel o-9']);
    expect(fake.dispatched(UserRegistered).map((event) => event.email)).toEqual(['o-9@example.test']);
    expect(fake.dispatched(OrderShipped)).toHaveLength(1);
    expect(fake.dispatched(OrderCancelled)).toEqual([]);
  });

  it('fake([]) - an empty list fakes every event, as Event::fake([]) does in Laravel', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const fake = herald.fake([]);
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(log).toEqual([]);
    expect(fake.dispatched(OrderShipped)).toHaveLength(1);
  });
});
