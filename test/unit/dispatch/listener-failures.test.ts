import { beforeEach, describe, expect, it } from 'vitest';
import { HeraldError, Listener, On, Subscriber } from '../../../src/index.js';
import { After, boom, clearLog, Exploding, log, PaymentCaptured } from './payment-fixtures.js';
import { rejectsWith, sleep, useHerald } from './support.js';

/**
 * A listener that throws or rejects fails the dispatch with listener_failed, and the listeners after
 * it do not run.
 */

beforeEach(clearLog);

@Listener(PaymentCaptured)
class Before {
  handle(event: PaymentCaptured): void {
    log.push(`before ${event.paymentId}`);
  }
}

@Listener(PaymentCaptured)
class RejectingLater {
  async handle(): Promise<void> {
    await sleep(1);
    log.push('rejecting');
    throw boom;
  }
}

@Listener(PaymentCaptured)
class ThrowsString {
  handle(): void {
    throw 'plain string';
  }
}

@Listener(PaymentCaptured, { queue: true })
class QueuedAfter {
  handle(event: PaymentCaptured): void {
    log.push(`queued ${event.paymentId}`);
  }
}

@Subscriber()
class PaymentSubscriber {
  @On(PaymentCaptured) onCaptured(): void {
    throw boom;
  }
}

const boot = useHerald();

describe('a throwing listener', () => {
  it('dispatch() - rejects with listener_failed whose cause is the thrown error', async () => {
    const herald = await boot({ listeners: [Before, Exploding, After] });
    const error = await rejectsWith(herald.dispatch(new PaymentCaptured('p-1', 100)), 'listener_failed');
    expect(error).toBeInstanceOf(HeraldError);
    expect(HeraldError.is(error, 'listener_failed')).toBe(true);
    expect(error.cause).toBe(boom);
  });

  it('dispatch() - the listener_failed message names the listener, the event and the reason', async () => {
    const herald = await boot({ listeners: [Exploding] });
    const error = await rejectsWith(herald.dispatch(new PaymentCaptured('p-1', 100)), 'listener_failed');
    expect(error.message).toContain('Exploding');
    expect(error.message).toContain('payments.captured');
    expect(error.message).toContain('card declined');
  });

  it('dispatch() - listeners after a throwing one do not run, sync or queued', async () => {
    const herald = await boot({ listeners: [Before, Exploding, After, QueuedAfter] });
    await rejectsWith(herald.dispatch(new PaymentCaptured('p-1', 100)), 'listener_failed');
    await herald.drain();
    expect(log).toEqual(['before p-1', 'exploding']);
  });

  it('dispatch() - a rejected promise from an async listener is reported the same way', async () => {
    const herald = await boot({ listeners: [RejectingLater, After] });
    const error = await rejectsWith(herald.dispatch(new PaymentCaptured('p-2', 1)), 'listener_failed');
    expect(error.cause).toBe(boom);
    expect(error.message).toContain('RejectingLater');
    expect(log).toEqual(['rejecting']);
  });

  it('dispatch() - a thrown non-Error is kept as the cause', async () => {
    const herald = await boot({ listeners: [ThrowsString] });
    const error = await rejectsWith(herald.dispatch(new PaymentCaptured('p', 1)), 'listener_failed');
    expect(error.cause).toBe('plain string');
    expect(error.message).toContain('plain string');
  });

  it('dispatch() - a throwing subscriber method is named Class.method', async () => {
    const herald = await boot({ listeners: [PaymentSubscriber] });
    const error = await rejectsWith(herald.dispatch(new PaymentCaptured('p', 1)), 'listener_failed');
    expect(error.message).toContain('PaymentSubscriber.onCaptured');
  });

  it('dispatch() - a throwing closure fails the dispatch the same way', async () => {
    const herald = await boot({ listeners: [After] });
    herald.listen(
      PaymentCaptured,
      () => {
        throw boom;
      },
      { order: -1 },
    );
    const error = await rejectsWith(herald.dispatch(new PaymentCaptured('p', 1)), 'listener_failed');
    expect(error.cause).toBe(boom);
    expect(log).toEqual([]);
  });

  it('until() - a throwing listener rejects with listener_failed too', async () => {
    const herald = await boot({ listeners: [Exploding] });
    const error = await rejectsWith(herald.until(new PaymentCaptured('p', 1)), 'listener_failed');
    expect(error.cause).toBe(boom);
  });

  it('dispatch() - the app keeps working after a failed dispatch', async () => {
    const herald = await boot({ listeners: [After] });
    const off = herald.listen(PaymentCaptured, () => {
      throw boom;
    });
    await rejectsWith(herald.dispatch(new PaymentCaptured('p-1', 1)), 'listener_failed');
    off();
    await herald.dispatch(new PaymentCaptured('p-2', 1));
    expect(log).toEqual(['after p-1', 'after p-2']);
  });
});
