import { beforeEach, describe, expect, it } from 'vitest';
import { After, clearLog, log, PaymentCaptured } from './payment-fixtures.js';
import { rejectsWith, useHerald } from './support.js';

/** Dispatching what is not an @Event instance rejects with unknown_event; an event nobody hears is fine. */

beforeEach(clearLog);

const boot = useHerald();

describe('dispatching something that is not an event', () => {
  it('dispatch() - an instance of an undecorated class rejects with unknown_event naming it', async () => {
    const herald = await boot({ listeners: [After] });
    class NotDecorated {}
    const error = await rejectsWith(herald.dispatch(new NotDecorated()), 'unknown_event');
    expect(error.message).toContain('NotDecorated');
    expect(error.message).toContain('@Event');
  });

  it('dispatch() - a plain object rejects with unknown_event', async () => {
    const herald = await boot({ listeners: [After] });
    await rejectsWith(herald.dispatch({ paymentId: 'p' }), 'unknown_event');
    await rejectsWith(herald.dispatch(Object.create(null) as object), 'unknown_event');
    expect(log).toEqual([]);
  });

  it('dispatch() - null, undefined and primitives reject with unknown_event', async () => {
    const herald = await boot();
    for (const value of [null, undefined, 'payments.captured', 42]) {
      await rejectsWith(herald.dispatch(value as unknown as object), 'unknown_event');
    }
  });

  it('dispatch() - the event class itself (not an instance) rejects with unknown_event', async () => {
    const herald = await boot({ listeners: [After] });
    await rejectsWith(herald.dispatch(PaymentCaptured), 'unknown_event');
    expect(log).toEqual([]);
  });

  it('dispatch() - an undecorated subclass of an event is not that event', async () => {
    const herald = await boot({ listeners: [After] });
    class Refund extends PaymentCaptured {}
    await rejectsWith(herald.dispatch(new Refund('r', 1)), 'unknown_event');
    expect(log).toEqual([]);
  });

  it('until() - rejects with unknown_event as well', async () => {
    const herald = await boot();
    await rejectsWith(herald.until({}), 'unknown_event');
  });

  it('dispatch() - an @Event nobody listens to resolves quietly', async () => {
    const herald = await boot();
    await expect(herald.dispatch(new PaymentCaptured('p', 1))).resolves.toBeUndefined();
  });
});
