import { Container, inject } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Event, HeraldError, Listener, type ListenerOptions } from '../../../src/index.js';
import { bootFailure, withHerald } from './boot-helpers.js';

@Event()
class InvoicePaid {
  constructor(readonly id: string) {}
}

class Mailer {
  send(): void {}
}

/**
 * What tsx (esbuild) makes of a listener with an injected constructor: the class decorator is
 * applied but no `design:paramtypes` is emitted. Written by hand so the test does not depend on
 * the loader vitest uses.
 */
function listenerWithoutMetadata(options: ListenerOptions<InvoicePaid>) {
  class SendInvoiceReceipt {
    constructor(readonly mailer: Mailer) {}
    handle(_event: InvoicePaid): void {
      this.mailer.send();
    }
  }
  Listener(InvoicePaid, options)(SendInvoiceReceipt);
  return SendInvoiceReceipt;
}

/** A listener injecting a token the container never bound. */
function listenerNeedingMailer(options: ListenerOptions<InvoicePaid>) {
  class SendInvoiceReceipt {
    constructor(readonly mailer: Mailer) {}
    handle(_event: InvoicePaid): void {
      this.mailer.send();
    }
  }
  inject('Mailer')(SendInvoiceReceipt, undefined, 0);
  Listener(InvoicePaid, options)(SendInvoiceReceipt);
  return SendInvoiceReceipt;
}

async function rejection(promise: Promise<unknown>): Promise<HeraldError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!HeraldError.is(error)) throw new Error(`expected a HeraldError, got ${String(error)}`);
  return error;
}

describe('container_failed - a listener the container cannot build', () => {
  it("boot (herald's autobind container) fails with container_failed naming the listener, the cause and @inject as the fix", async () => {
    const SendInvoiceReceipt = listenerWithoutMetadata({ queue: 'emails' });
    const error = await bootFailure({ listeners: [SendInvoiceReceipt] });
    expect(error.kind).toBe('container_failed');
    expect(error.message).toContain('SendInvoiceReceipt');
    expect(error.message).toMatch(/missing metadata/i);
    expect(error.message).toContain('@inject(');
    expect(error.message).toContain('tsx');
    expect(String((error.cause as Error).message)).toMatch(/missing metadata/i);
  });

  it("with the user's own container, a dependency it lacks makes sync dispatch reject with container_failed (not listener_failed)", async () => {
    const SendInvoiceReceipt = listenerNeedingMailer({});
    await withHerald({ listeners: [SendInvoiceReceipt], container: new Container() }, async (herald) => {
      const error = await rejection(herald.dispatch(new InvoicePaid('i-1')));
      expect(error.kind).toBe('container_failed');
      expect(error.message).toContain('SendInvoiceReceipt');
      expect(error.message).toContain('Bind what SendInvoiceReceipt');
    });
  });

  it('a queued listener (sync connection) reports container_failed too, not a raw inversify error', async () => {
    const SendInvoiceReceipt = listenerNeedingMailer({ queue: true });
    const config = {
      listeners: [SendInvoiceReceipt],
      queue: { default: 'sync' },
      container: new Container(),
    };
    await withHerald(config, async (herald) => {
      const error = await rejection(herald.dispatch(new InvoicePaid('i-2')));
      expect(error.kind).toBe('container_failed');
      expect(error.message).toContain('SendInvoiceReceipt');
    });
  });

  it('a constructor that throws is a container_failed whose fix is about the container bindings', async () => {
    class Exploding {
      constructor() {
        throw new Error('no database configured');
      }
      handle(_event: InvoicePaid): void {}
    }
    Listener(InvoicePaid)(Exploding);
    await withHerald({ listeners: [Exploding] }, async (herald) => {
      const error = await rejection(herald.dispatch(new InvoicePaid('i-3')));
      expect(error.kind).toBe('container_failed');
      expect(error.message).toContain('Exploding');
      expect(error.message).toContain('no database configured');
      expect(error.message).toContain('Bind what Exploding');
    });
  });
});

/** A listener whose container binding the user replaced with a value that has no handle(). */
function listenerBoundToNoHandle(options: ListenerOptions<InvoicePaid>): {
  target: new () => object;
  container: Container;
} {
  class ChargeCard {
    handle(_event: InvoicePaid): void {}
  }
  Listener(InvoicePaid, options)(ChargeCard);
  const container = new Container();
  container.bind(ChargeCard).toConstantValue({ charge: () => undefined } as unknown as ChargeCard);
  return { target: ChargeCard, container };
}

describe('container_failed - the container built a listener that has no handle()', () => {
  function expectNoHandle(error: HeraldError): void {
    expect(error.kind).toBe('container_failed');
    expect(error.message).toContain('ChargeCard');
    expect(error.message).toContain('handle()');
    expect(error.message).toContain('bind ChargeCard to');
  }

  it('dispatch() of an event with only sync listeners rejects with container_failed naming the listener and the fix', async () => {
    const { target, container } = listenerBoundToNoHandle({});
    await withHerald({ listeners: [target], container }, async (herald) => {
      expectNoHandle(await rejection(herald.dispatch(new InvoicePaid('i-4'))));
    });
  });

  it('dispatch() of an event that also has a queued listener rejects the same way instead of skipping the listener', async () => {
    const { target, container } = listenerBoundToNoHandle({});
    const queued: string[] = [];
    class RecordInvoice {
      handle(event: InvoicePaid): void {
        queued.push(event.id);
      }
    }
    Listener(InvoicePaid, { queue: true })(RecordInvoice);
    await withHerald({ listeners: [target, RecordInvoice], container }, async (herald) => {
      expectNoHandle(await rejection(herald.dispatch(new InvoicePaid('i-5'))));
      await herald.drain();
      expect(queued).toEqual([]);
    });
  });

  it('until() rejects the same way', async () => {
    const { target, container } = listenerBoundToNoHandle({});
    await withHerald({ listeners: [target], container }, async (herald) => {
      expectNoHandle(await rejection(herald.events.until(new InvoicePaid('i-6'))));
    });
  });

  it('a queued listener (sync connection) fails its job with the same container_failed, which the sync connection reports as the cause', async () => {
    const { target, container } = listenerBoundToNoHandle({ queue: true });
    await withHerald({ listeners: [target], container, queue: { default: 'sync' } }, async (herald) => {
      const error = await rejection(herald.dispatch(new InvoicePaid('i-7')));
      // The sync connection reports every failed job as listener_failed; the job's own error is the cause.
      expect(error.kind).toBe('listener_failed');
      expect(HeraldError.is(error.cause)).toBe(true);
      expectNoHandle(error.cause as HeraldError);
    });
  });
});
