import { describe, expect, it } from 'vitest';
import {
  AnyOrder,
  failure,
  OrderCancelled,
  OrderRefunded,
  OrderShipped,
  OrderSubscriber,
  PlainRefundListener,
  SendShipmentNotification,
  UpdateStock,
  UserRegistered,
  useFakedHerald,
} from './assertion-fixtures.js';

/** assertListening: which listeners an event has, read from the registrations, fake or not. */

const { boot, faked } = useFakedHerald();

describe('assertListening', () => {
  it('passes for a decorated listener, a subscriber, a wildcard listener, listen() classes and closures', async () => {
    const herald = await boot({
      listeners: [UpdateStock, SendShipmentNotification, OrderSubscriber, AnyOrder],
    });
    const closure = (_event: OrderRefunded) => {};
    herald.listen(OrderRefunded, closure);
    herald.listen(OrderRefunded, PlainRefundListener);
    const wildcardClosure = () => {};
    herald.listen('orders.*', wildcardClosure);
    const fake = herald.fake();
    fake.assertListening(OrderShipped, UpdateStock);
    fake.assertListening(OrderShipped, SendShipmentNotification);
    fake.assertListening(OrderCancelled, OrderSubscriber);
    fake.assertListening(UserRegistered, OrderSubscriber);
    fake.assertListening(OrderShipped, AnyOrder);
    fake.assertListening(OrderRefunded, AnyOrder);
    fake.assertListening(OrderRefunded, closure);
    fake.assertListening(OrderRefunded, PlainRefundListener);
    fake.assertListening(OrderShipped, wildcardClosure);
    // By wire name, too.
    fake.assertListening('orders.shipped', UpdateStock);
    fake.assertListening('orders.anything', AnyOrder);
  });

  it('works without a fake being active (it reads the registrations)', async () => {
    const herald = await boot({ listeners: [UpdateStock] });
    const fake = herald.fake();
    fake.restore();
    fake.assertListening(OrderShipped, UpdateStock);
  });

  it('fails listing the listeners the event does have', async () => {
    const herald = await boot({ listeners: [UpdateStock, OrderSubscriber, AnyOrder] });
    const notify = () => {};
    herald.listen(OrderShipped, notify);
    herald.listen(OrderShipped, () => {});
    const fake = herald.fake();
    expect(failure(() => fake.assertListening(OrderShipped, SendShipmentNotification))).toBe(
      'Expected SendShipmentNotification to listen to OrderShipped, but it does not. Listeners of OrderShipped: UpdateStock, AnyOrder, notify, closure#2.',
    );
    expect(failure(() => fake.assertListening(OrderShipped, OrderSubscriber))).toMatch(
      /^Expected OrderSubscriber to listen to OrderShipped, but it does not\. /,
    );
    expect(failure(() => fake.assertListening(OrderCancelled, UpdateStock))).toBe(
      'Expected UpdateStock to listen to OrderCancelled, but it does not. Listeners of OrderCancelled: OrderSubscriber.onCancelled.',
    );
  });

  it('fails saying the event has no listeners; an anonymous closure is named as such', async () => {
    const { fake } = await faked({ listeners: [UpdateStock] });
    expect(failure(() => fake.assertListening(UserRegistered, () => {}))).toBe(
      'Expected an anonymous function to listen to UserRegistered, but it does not. UserRegistered has no listeners.',
    );
    expect(failure(() => fake.assertListening('users.*', UpdateStock))).toBe(
      'Expected UpdateStock to listen to users.*, but it does not. users.* has no listeners.',
    );
  });

  it('a listener removed with its unsubscribe function no longer listens', async () => {
    const herald = await boot({ listeners: [] });
    const off = herald.listen(OrderRefunded, PlainRefundListener);
    const fake = herald.fake();
    fake.assertListening(OrderRefunded, PlainRefundListener);
    off();
    expect(failure(() => fake.assertListening(OrderRefunded, PlainRefundListener))).toBe(
      'Expected PlainRefundListener to listen to OrderRefunded, but it does not. OrderRefunded has no listeners.',
    );
  });
});
