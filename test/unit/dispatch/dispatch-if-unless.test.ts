import { beforeEach, describe, expect, it } from 'vitest';
import { After, clearLog, Exploding, log, PaymentCaptured } from './payment-fixtures.js';
import { rejectsWith, useHerald } from './support.js';

/**
 * dispatchIf() / dispatchUnless(): a boolean or function condition decides whether the event is
 * dispatched.
 */

beforeEach(clearLog);

const boot = useHerald();

describe('dispatchIf / dispatchUnless', () => {
  it('dispatchIf() - dispatches for true and skips for false', async () => {
    const herald = await boot({ listeners: [After] });
    await herald.dispatchIf(true, new PaymentCaptured('yes', 1));
    await herald.dispatchIf(false, new PaymentCaptured('no', 1));
    expect(log).toEqual(['after yes']);
  });

  it('dispatchIf() - calls a function condition and follows its result', async () => {
    const herald = await boot({ listeners: [After] });
    let calls = 0;
    await herald.dispatchIf(() => ++calls === 1, new PaymentCaptured('yes', 1));
    await herald.dispatchIf(() => ++calls === 1, new PaymentCaptured('no', 1));
    expect(calls).toBe(2);
    expect(log).toEqual(['after yes']);
  });

  it('dispatchUnless() - dispatches for false and skips for true', async () => {
    const herald = await boot({ listeners: [After] });
    await herald.dispatchUnless(false, new PaymentCaptured('yes', 1));
    await herald.dispatchUnless(true, new PaymentCaptured('no', 1));
    await herald.dispatchUnless(() => false, new PaymentCaptured('fn-yes', 1));
    await herald.dispatchUnless(() => true, new PaymentCaptured('fn-no', 1));
    expect(log).toEqual(['after yes', 'after fn-yes']);
  });

  it('dispatchIf() - a skipped dispatch does not even check the event', async () => {
    const herald = await boot();
    await expect(herald.dispatchIf(false, { not: 'an event' })).resolves.toBeUndefined();
    await rejectsWith(herald.dispatchIf(true, { not: 'an event' }), 'unknown_event');
  });

  it('dispatchIf() - a failing listener still rejects with listener_failed', async () => {
    const herald = await boot({ listeners: [Exploding] });
    await rejectsWith(herald.dispatchIf(true, new PaymentCaptured('p', 1)), 'listener_failed');
    await rejectsWith(
      herald.dispatchUnless(() => false, new PaymentCaptured('p', 1)),
      'listener_failed',
    );
  });

  it('dispatchIf() - a throwing condition rejects (and dispatches nothing)', async () => {
    const herald = await boot({ listeners: [After] });
    const oops = new Error('condition broke');
    await expect(
      herald.dispatchIf(() => {
        throw oops;
      }, new PaymentCaptured('p', 1)),
    ).rejects.toBe(oops);
    expect(log).toEqual([]);
  });
});
