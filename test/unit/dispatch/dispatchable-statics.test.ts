import { beforeEach, describe, expect, it } from 'vitest';
import { Listener } from '../../../src/index.js';
import { After, boom, clearLog, Exploding, log, PaymentCaptured } from './payment-fixtures.js';
import { rejectsWith, useHerald } from './support.js';

/** The static Event.dispatch() / dispatchIf() / dispatchUnless() of a Dispatchable event. */

beforeEach(clearLog);

@Listener(PaymentCaptured)
class RecordPayment {
  handle(event: PaymentCaptured): void {
    log.push(`${event.paymentId}:${event.cents}:${event instanceof PaymentCaptured}`);
  }
}

const boot = useHerald();

describe('Dispatchable statics', () => {
  it('Event.dispatch() - builds the event from constructor arguments and dispatches it', async () => {
    await boot({ listeners: [RecordPayment] });
    await PaymentCaptured.dispatch('p-9', 990);
    expect(log).toEqual(['p-9:990:true']);
  });

  it('Event.dispatchIf() / dispatchUnless() - follow the condition', async () => {
    await boot({ listeners: [RecordPayment] });
    await PaymentCaptured.dispatchIf(true, 'if-yes', 1);
    await PaymentCaptured.dispatchIf(false, 'if-no', 2);
    await PaymentCaptured.dispatchUnless(false, 'unless-yes', 3);
    await PaymentCaptured.dispatchUnless(true, 'unless-no', 4);
    expect(log).toEqual(['if-yes:1:true', 'unless-yes:3:true']);
  });

  it('Event.dispatch() - a failing listener rejects with listener_failed', async () => {
    await boot({ listeners: [Exploding] });
    const error = await rejectsWith(PaymentCaptured.dispatch('p', 1), 'listener_failed');
    expect(error.cause).toBe(boom);
  });

  it('Event.dispatch() - goes to the most recently booted app', async () => {
    const older = await boot({ listeners: [After] });
    await boot({ listeners: [RecordPayment] });
    await PaymentCaptured.dispatch('p', 5);
    expect(log).toEqual(['p:5:true']);
    await older.dispatch(new PaymentCaptured('q', 1));
    expect(log).toEqual(['p:5:true', 'after q']);
  });
});
