import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Event, HeraldError, Listener, type ListenerContext } from '../../../src/index.js';
import { rejectsWith, useHerald } from './support.js';

/**
 * What only the sync connection does: queued listeners run inline, in their place among the sync
 * listeners, and a job's failure rejects the dispatch. Tries, failed(), timeout, release/fail and
 * the dispatch-time methods are pinned for every driver in test/conformance.
 */

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

@Event('shipments.created')
class ShipmentCreated {
  constructor(readonly shipmentId: string) {}
}

const SYNC = { queue: { default: 'sync' } } as const;

@Listener(ShipmentCreated, { queue: true })
class Capture {
  handle(event: ShipmentCreated): void {
    log.push(`queued ${event.shipmentId}`);
  }
}

@Listener(ShipmentCreated)
class SyncBefore {
  handle(event: ShipmentCreated): void {
    log.push(`sync before ${event.shipmentId}`);
  }
}

@Listener(ShipmentCreated)
class SyncAfter {
  handle(event: ShipmentCreated): void {
    log.push(`sync after ${event.shipmentId}`);
  }
}

@Listener(ShipmentCreated, { queue: true, tries: 3 })
class AlwaysFails {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    throw new Error(`smtp down ${ctx.attempt}`);
  }
}

@Listener(ShipmentCreated)
class SyncUsesRelease {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    ctx.release();
  }
}

@Listener(ShipmentCreated)
class SyncUsesFail {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    ctx.fail(new Error('give up'));
  }
}

@Listener(ShipmentCreated, { connection: 'nowhere' })
class UnknownConnection {
  handle(): void {
    log.push('unknown connection ran');
  }
}

@Listener(ShipmentCreated, { connection: 'sync' })
class ExplicitSync {
  handle(event: ShipmentCreated): void {
    log.push(`explicit sync ${event.shipmentId}`);
  }
}

@Listener(ShipmentCreated, { queue: true })
class PicksConnection {
  viaConnection(event: ShipmentCreated): string {
    return event.shipmentId === 'now' ? 'sync' : 'memory';
  }
  handle(event: ShipmentCreated): void {
    log.push(`picked ${event.shipmentId}`);
  }
}

const boot = useHerald();
const shipment = (id = 's-1') => new ShipmentCreated(id);

describe('the sync connection', () => {
  it('dispatch() - a queued listener runs inline, before dispatch resolves', async () => {
    const herald = await boot({ ...SYNC, listeners: [Capture] });
    await herald.dispatch(shipment());
    expect(log).toEqual(['queued s-1']);
  });

  it('dispatch() - a queued listener on the sync connection runs in its place among sync listeners', async () => {
    const herald = await boot({ ...SYNC, listeners: [SyncBefore, Capture, SyncAfter] });
    await herald.dispatch(shipment());
    expect(log).toEqual(['sync before s-1', 'queued s-1', 'sync after s-1']);
  });

  it("dispatch() - { connection: 'sync' } runs inline even when the default connection is memory", async () => {
    const herald = await boot({ listeners: [ExplicitSync] });
    await herald.dispatch(shipment());
    expect(log).toEqual(['explicit sync s-1']);
  });

  it('dispatch() - viaConnection() picks the connection per event', async () => {
    const herald = await boot({ listeners: [PicksConnection] });
    await herald.dispatch(shipment('now'));
    expect(log).toEqual(['picked now']);
    await herald.dispatch(shipment('later'));
    expect(log).toEqual(['picked now']);
    await herald.drain();
    expect(log).toEqual(['picked now', 'picked later']);
  });

  it('createHerald() - a listener naming an unconfigured connection fails at boot with unknown_connection', async () => {
    const error = await rejectsWith(boot({ ...SYNC, listeners: [UnknownConnection] }), 'unknown_connection');
    expect(error.message).toContain('UnknownConnection');
    expect(error.message).toContain('nowhere');
  });

  it('dispatch() - viaConnection() naming an unconfigured connection rejects with unknown_connection', async () => {
    const herald = await boot({ listeners: [PicksConnection] });
    vi.spyOn(PicksConnection.prototype, 'viaConnection').mockReturnValue('nowhere');
    await rejectsWith(herald.dispatch(shipment('now')), 'unknown_connection');
    await herald.drain();
    expect(log).toEqual([]);
  });
});

describe('a failed job on the sync connection', () => {
  it("dispatch() - a job's final failure rejects with listener_failed naming the listener and the event", async () => {
    const herald = await boot({ ...SYNC, listeners: [AlwaysFails] });
    const error = await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(error.message).toContain('AlwaysFails');
    expect(error.message).toContain('shipments.created');
  });

  it('dispatch() - a failing queued listener on the sync connection stops later listeners', async () => {
    const herald = await boot({ ...SYNC, listeners: [AlwaysFails, SyncAfter] });
    await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(log).not.toContain('sync after s-1');
  });

  for (const [method, listener] of [
    ['release', SyncUsesRelease],
    ['fail', SyncUsesFail],
  ] as const) {
    it(`ctx.${method}() - in a sync listener is unsupported (not config_invalid), failing the dispatch`, async () => {
      const herald = await boot({ ...SYNC, listeners: [listener] });
      const error = await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
      expect(HeraldError.is(error.cause, 'unsupported')).toBe(true);
      expect((error.cause as Error).message).toContain(`ctx.${method}() only works in a queued listener`);
    });
  }
});
