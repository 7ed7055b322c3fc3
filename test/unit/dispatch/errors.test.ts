import { beforeEach, describe, expect, it } from 'vitest';
import {
  Dispatchable,
  Event,
  EventDispatcher,
  HeraldError,
  Listener,
  On,
  Subscriber,
} from '../../../src/index.js';
import { rejectsWith, sleep, throwsWith, useHerald } from './support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

@Event('payments.captured')
class PaymentCaptured extends Dispatchable {
  constructor(
    readonly paymentId: string,
    readonly cents: number,
  ) {
    super();
  }
}

const boom = new Error('card declined');

@Listener(PaymentCaptured)
class Before {
  handle(event: PaymentCaptured): void {
    log.push(`before ${event.paymentId}`);
  }
}

@Listener(PaymentCaptured)
class Exploding {
  handle(): void {
    log.push('exploding');
    throw boom;
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

@Listener(PaymentCaptured)
class After {
  handle(event: PaymentCaptured): void {
    log.push(`after ${event.paymentId}`);
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

@Listener(PaymentCaptured)
class RecordPayment {
  handle(event: PaymentCaptured): void {
    log.push(`${event.paymentId}:${event.cents}:${event instanceof PaymentCaptured}`);
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
