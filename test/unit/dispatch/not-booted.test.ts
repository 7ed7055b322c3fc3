import { beforeEach, describe, expect, it } from 'vitest';
import { EventDispatcher } from '../../../src/index.js';
import { After, clearLog, log, PaymentCaptured } from './payment-fixtures.js';
import { rejectsWith, throwsWith, useHerald } from './support.js';

/** A dispatcher no app attached, or whose app closed, refuses with not_booted (statics too). */

beforeEach(clearLog);

const boot = useHerald();

describe('dispatching without a booted app', () => {
  it('dispatch() - a dispatcher that no app attached rejects with not_booted', async () => {
    const dispatcher = new EventDispatcher();
    const error = await rejectsWith(dispatcher.dispatch(new PaymentCaptured('p', 1)), 'not_booted');
    expect(error.message).toContain('createHerald');
    await rejectsWith(dispatcher.until(new PaymentCaptured('p', 1)), 'not_booted');
    await rejectsWith(dispatcher.dispatchIf(true, new PaymentCaptured('p', 1)), 'not_booted');
  });

  it('listen()/getListeners()/hasListeners()/forget() - throw not_booted on an unattached dispatcher', () => {
    const dispatcher = new EventDispatcher();
    throwsWith(() => dispatcher.listen(PaymentCaptured, () => {}), 'not_booted');
    throwsWith(() => dispatcher.getListeners(PaymentCaptured), 'not_booted');
    throwsWith(() => dispatcher.hasListeners(PaymentCaptured), 'not_booted');
    throwsWith(() => dispatcher.forget(PaymentCaptured), 'not_booted');
  });

  it('dispatch() - rejects with not_booted after herald.close(), and runs no listener', async () => {
    const herald = await boot({ listeners: [After] });
    const dispatcher = herald.events;
    await herald.close();
    await rejectsWith(herald.dispatch(new PaymentCaptured('p', 1)), 'not_booted');
    await rejectsWith(dispatcher.dispatch(new PaymentCaptured('p', 1)), 'not_booted');
    expect(log).toEqual([]);
  });

  it('close() - is idempotent: a second call returns the same settled promise', async () => {
    const herald = await boot();
    const first = herald.close();
    const second = herald.close();
    expect(second).toBe(first);
    await expect(second).resolves.toBeUndefined();
  });

  it('Event.dispatch() - static dispatch with no booted app rejects with not_booted', async () => {
    await rejectsWith(PaymentCaptured.dispatch('p', 1), 'not_booted');
  });

  it('Event.dispatch() - static dispatch after the app closed rejects with not_booted', async () => {
    const herald = await boot({ listeners: [After] });
    await herald.close();
    await rejectsWith(PaymentCaptured.dispatch('p', 1), 'not_booted');
    await rejectsWith(PaymentCaptured.dispatchIf(true, 'p', 1), 'not_booted');
    await rejectsWith(PaymentCaptured.dispatchUnless(false, 'p', 1), 'not_booted');
    expect(log).toEqual([]);
  });
});
