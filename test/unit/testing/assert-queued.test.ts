import { describe, expect, it } from 'vitest';
import {
  AuditShipment,
  BigOrderAlert,
  failure,
  NeverRegistered,
  OrderCancelled,
  OrderShipped,
  OrderSubscriber,
  SendShipmentNotification,
  UpdateStock,
  UserRegistered,
  useFakedHerald,
} from './assertion-fixtures.js';

/** What would have been queued: assertQueued, assertNotQueued, queued(). */

const { boot, faked } = useFakedHerald();

describe('assertQueued', () => {
  it('passes for a queued listener that would have been pushed, with or without a predicate', async () => {
    const { herald, fake } = await faked({ listeners: [UpdateStock, SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('o-1', 42));
    fake.assertQueued(SendShipmentNotification);
    fake.assertQueued(SendShipmentNotification, (event) => event.orderId === 'o-1');
  });

  it('respects shouldQueue(): only events it accepts are recorded', async () => {
    const { herald, fake } = await faked({ listeners: [BigOrderAlert] });
    await herald.dispatch(new OrderShipped('small', 5));
    await herald.dispatch(new OrderShipped('big', 500));
    expect(fake.queued(BigOrderAlert).map((event) => event.orderId)).toEqual(['big']);
    fake.assertQueued(BigOrderAlert, (event) => event.orderId === 'big');
    fake.assertNotQueued(BigOrderAlert, (event) => event.orderId === 'small');
  });

  it('fails saying shouldQueue() declined, listing what was queued', async () => {
    const { herald, fake } = await faked({ listeners: [BigOrderAlert, SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('small', 5));
    await herald.dispatch(new OrderShipped('small too', 6));
    expect(failure(() => fake.assertQueued(BigOrderAlert))).toBe(
      'Expected BigOrderAlert to be queued, but it was not (its shouldQueue() returned false 2 times). Queued: SendShipmentNotification (OrderShipped) ×2.',
    );
  });

  it('fails for a sync listener, saying it is never queued', async () => {
    const { herald, fake } = await faked({ listeners: [UpdateStock] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(failure(() => fake.assertQueued(UpdateStock))).toBe(
      'Expected UpdateStock to be queued, but it was not (UpdateStock is a sync listener: it runs during dispatch and is never queued). Nothing was queued.',
    );
  });

  it('fails for a listener the app does not know', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(failure(() => fake.assertQueued(NeverRegistered))).toBe(
      'Expected NeverRegistered to be queued, but it was not (NeverRegistered is not a listener registered in this app). Queued: SendShipmentNotification (OrderShipped) ×1.',
    );
  });

  it('fails plainly when its event was not dispatched', async () => {
    const { fake } = await faked({ listeners: [SendShipmentNotification] });
    expect(failure(() => fake.assertQueued(SendShipmentNotification))).toBe(
      'Expected SendShipmentNotification to be queued, but it was not. Nothing was queued.',
    );
  });

  it('with a predicate - fails saying how many of its jobs did not match', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification, AuditShipment] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(
      failure(() => fake.assertQueued(SendShipmentNotification, (event) => event.orderId === 'o-2')),
    ).toBe(
      'Expected SendShipmentNotification to be queued with an event matching the predicate, but none of its 1 job matched. Queued: SendShipmentNotification (OrderShipped) ×1, AuditShipment (OrderShipped) ×1.',
    );
  });

  it('with a predicate - fails plainly when it was not queued at all', async () => {
    const { fake } = await faked({ listeners: [SendShipmentNotification] });
    expect(failure(() => fake.assertQueued(SendShipmentNotification, (event) => event.total > 0))).toBe(
      'Expected SendShipmentNotification to be queued with an event matching the predicate, but it was not. Nothing was queued.',
    );
  });

  it('only events that were faked queue anything (the rest pushed real jobs)', async () => {
    const herald = await boot({ listeners: [SendShipmentNotification] });
    const fake = herald.fake([OrderCancelled]);
    await herald.dispatch(new OrderShipped('o-1', 1));
    await herald.drain();
    expect(failure(() => fake.assertQueued(SendShipmentNotification))).toBe(
      'Expected SendShipmentNotification to be queued, but it was not. Nothing was queued.',
    );
  });

  it('queued subscriber methods and renamed listeners are asserted by wire name', async () => {
    const { herald, fake } = await faked({ listeners: [OrderSubscriber, AuditShipment] });
    await herald.dispatch(new UserRegistered('u@example.test'));
    await herald.dispatch(new OrderShipped('o-1', 1));
    fake.assertQueued('OrderSubscriber.onRegistered');
    fake.assertQueued(
      'OrderSubscriber.onRegistered',
      (event) => (event as UserRegistered).email === 'u@example.test',
    );
    fake.assertQueued('audit.shipped');
    fake.assertQueued(AuditShipment);
    expect(fake.queued('OrderSubscriber.onRegistered')).toHaveLength(1);
    expect(failure(() => fake.assertQueued('OrderSubscriber.onCancelled'))).toBe(
      'Expected OrderSubscriber.onCancelled to be queued, but it was not (OrderSubscriber.onCancelled is a sync listener: it runs during dispatch and is never queued). Queued: OrderSubscriber.onRegistered (UserRegistered) ×1, AuditShipment (OrderShipped) ×1.',
    );
  });
});

describe('assertNotQueued', () => {
  it('passes when not queued', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification, BigOrderAlert] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    fake.assertNotQueued(BigOrderAlert);
    fake.assertNotQueued(SendShipmentNotification, (event) => event.orderId === 'other');
  });

  it('fails with how often it was queued', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    expect(failure(() => fake.assertNotQueued(SendShipmentNotification))).toBe(
      'Expected SendShipmentNotification not to be queued, but it was queued 1 time. Queued: SendShipmentNotification (OrderShipped) ×1.',
    );
  });

  it('with a predicate - fails with how many of its jobs matched', async () => {
    const { herald, fake } = await faked({ listeners: [SendShipmentNotification] });
    await herald.dispatch(new OrderShipped('o-1', 1));
    await herald.dispatch(new OrderShipped('o-2', 1));
    expect(
      failure(() => fake.assertNotQueued(SendShipmentNotification, (event) => event.orderId === 'o-2')),
    ).toBe(
      'Expected SendShipmentNotification not to be queued with an event matching the predicate, but 1 of its 2 jobs matched. Queued: SendShipmentNotification (OrderShipped) ×2.',
    );
  });
});
