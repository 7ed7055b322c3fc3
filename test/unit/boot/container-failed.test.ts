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
