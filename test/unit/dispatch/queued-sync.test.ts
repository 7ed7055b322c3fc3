import { inject } from 'inversify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Event, HeraldError, Listener, type ListenerContext, Serializable } from '../../../src/index.js';
import type { QueuedJob } from '../../../src/queue/job-options.js';
import { SyncDriver } from '../../../src/queue/sync-driver.js';
import { rejectsWith, useHerald } from './support.js';

const log: string[] = [];
const received: object[] = [];
const contexts: ListenerContext[] = [];
const failures: { event: object; error: Error }[] = [];
let constructed = 0;
beforeEach(() => {
  log.length = 0;
  received.length = 0;
  contexts.length = 0;
  failures.length = 0;
  constructed = 0;
});
afterEach(() => {
  vi.restoreAllMocks();
});

@Serializable()
class Address {
  constructor(readonly city: string) {}
  label(): string {
    return `in ${this.city}`;
  }
}

@Event('shipments.created')
class ShipmentCreated {
  constructor(
    readonly shipmentId: string,
    readonly at: Date,
    readonly to: Address = new Address('Oslo'),
    readonly items: Map<string, number> = new Map([['sku-1', 2]]),
  ) {
    constructed++;
  }
}

@Event()
class WithCallback {
  constructor(readonly callback: () => void) {}
}

const SYNC = { queue: { default: 'sync' } } as const;

@Listener(ShipmentCreated, { queue: true })
class Capture {
  handle(event: ShipmentCreated, ctx: ListenerContext): void {
    received.push(event);
    contexts.push(ctx);
    log.push(`queued ${event.shipmentId}`);
  }
}

@Listener(ShipmentCreated)
class SyncBefore {
  handle(event: ShipmentCreated): void {
    received.push(event);
    log.push(`sync before ${event.shipmentId}`);
  }
}

@Listener(ShipmentCreated)
class SyncAfter {
  handle(event: ShipmentCreated): void {
    log.push(`sync after ${event.shipmentId}`);
  }
}

const flaky = new Error('smtp down');

@Listener(ShipmentCreated, { queue: true, tries: 3 })
class AlwaysFails {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    contexts.push(ctx);
    log.push(`attempt ${ctx.attempt}/${ctx.maxTries}`);
    throw new Error(`smtp down ${ctx.attempt}`);
  }
  failed(event: ShipmentCreated, error: Error): void {
    log.push('failed()');
    failures.push({ event, error });
  }
}

@Listener(ShipmentCreated, { queue: true, tries: 3 })
class SucceedsSecond {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    log.push(`attempt ${ctx.attempt}`);
    if (ctx.attempt === 1) throw flaky;
  }
  failed(): void {
    log.push('failed()');
  }
}

@Listener(ShipmentCreated, { queue: true })
class Conditional {
  shouldQueue(event: ShipmentCreated): boolean {
    log.push(`shouldQueue ${event.shipmentId}`);
    return event.shipmentId !== 'skip';
  }
  handle(event: ShipmentCreated): void {
    log.push(`handled ${event.shipmentId}`);
  }
}

class QueueRouter {
  queueFor(event: ShipmentCreated): string {
    return event.shipmentId.startsWith('vip') ? 'priority' : 'bulk';
  }
  tagsFor(event: ShipmentCreated): string[] {
    return [`shipment:${event.shipmentId}`];
  }
}

@Listener(ShipmentCreated, { queue: 'ignored' })
class Routed {
  constructor(@inject(QueueRouter) private readonly router: QueueRouter) {}
  viaQueue(event: ShipmentCreated): string {
    return this.router.queueFor(event);
  }
  tags(event: ShipmentCreated): string[] {
    return this.router.tagsFor(event);
  }
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    contexts.push(ctx);
  }
}

@Listener(WithCallback)
class SyncOfCallback {
  handle(): void {
    log.push('sync ran');
  }
}

@Listener(WithCallback, { queue: true })
class QueuedOfCallback {
  handle(): void {
    log.push('queued ran');
  }
}

@Listener(ShipmentCreated, { queue: true, tries: 2 })
class ReleasesOnce {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    log.push(`attempt ${ctx.attempt}`);
    if (ctx.attempt === 1) ctx.release(5);
  }
  failed(): void {
    log.push('failed()');
  }
}

@Listener(ShipmentCreated, { queue: true, tries: 1 })
class AlwaysReleases {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    log.push(`attempt ${ctx.attempt}`);
    ctx.release();
  }
  failed(_event: ShipmentCreated, error: Error): void {
    failures.push({ event: _event, error });
    log.push('failed()');
  }
}

const giveUp = new Error('address invalid');

@Listener(ShipmentCreated, { queue: true, tries: 5 })
class FailsNow {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    log.push(`attempt ${ctx.attempt}`);
    ctx.fail(giveUp);
  }
  failed(event: ShipmentCreated, error: Error): void {
    failures.push({ event, error });
    log.push('failed()');
  }
}

@Listener(ShipmentCreated, { queue: true, tries: 5 })
class FailsWithString {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    ctx.fail('no such address');
  }
  failed(event: ShipmentCreated, error: Error): void {
    failures.push({ event, error });
  }
}

@Listener(ShipmentCreated, { queue: true, timeout: 20 })
class Hangs {
  handle(_event: ShipmentCreated, ctx: ListenerContext): Promise<void> {
    contexts.push(ctx);
    log.push('started');
    return new Promise((_, reject) => {
      ctx.signal.addEventListener('abort', () => {
        log.push('aborted');
        reject(ctx.signal.reason);
      });
    });
  }
  failed(event: ShipmentCreated, error: Error): void {
    failures.push({ event, error });
    log.push('failed()');
  }
}

@Listener(ShipmentCreated, { queue: true, timeout: 20, tries: 2 })
class HangsOnce {
  async handle(_event: ShipmentCreated, ctx: ListenerContext): Promise<void> {
    contexts.push(ctx);
    log.push(`attempt ${ctx.attempt}`);
    // Winds down when its signal aborts: an attempt ends only once its handler has settled.
    if (ctx.attempt === 1) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
  }
}

@Listener(ShipmentCreated)
class SyncUsesRelease {
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    ctx.release();
  }
}

@Listener(ShipmentCreated, { queue: true, tries: 5 })
class PastDeadline {
  retryUntil(): Date {
    return new Date(Date.now() - 1000);
  }
  handle(_event: ShipmentCreated, ctx: ListenerContext): void {
    log.push(`attempt ${ctx.attempt}`);
    throw flaky;
  }
  failed(): void {
    log.push('failed()');
  }
}

@Listener(ShipmentCreated, { queue: true })
class FailedHookThrows {
  handle(): void {
    throw flaky;
  }
  failed(): void {
    throw new Error('hook broke');
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
const shipment = (id = 's-1') => new ShipmentCreated(id, new Date('2024-05-06T07:08:09.123Z'));

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

  it('dispatch() - the queued listener gets a decoded copy: other object, same class, Date and nested values revived', async () => {
    const herald = await boot({ ...SYNC, listeners: [SyncBefore, Capture] });
    const original = shipment();
    await herald.dispatch(original);
    const [syncSeen, copy] = received as [ShipmentCreated, ShipmentCreated];
    expect(syncSeen).toBe(original);
    expect(copy).not.toBe(original);
    expect(copy).toBeInstanceOf(ShipmentCreated);
    expect(Object.getPrototypeOf(copy)).toBe(ShipmentCreated.prototype);
    expect(copy.shipmentId).toBe('s-1');
    expect(copy.at).toBeInstanceOf(Date);
    expect(copy.at).not.toBe(original.at);
    expect(copy.at.getTime()).toBe(original.at.getTime());
    expect(copy.to).toBeInstanceOf(Address);
    expect(copy.to).not.toBe(original.to);
    expect(copy.to.label()).toBe('in Oslo');
    expect(copy.items).toBeInstanceOf(Map);
    expect([...copy.items]).toEqual([['sku-1', 2]]);
  });

  it('dispatch() - decoding revives the event without running its constructor', async () => {
    const herald = await boot({ ...SYNC, listeners: [Capture] });
    const original = shipment();
    expect(constructed).toBe(1);
    await herald.dispatch(original);
    expect(received).toHaveLength(1);
    expect(constructed).toBe(1);
  });

  it('dispatch() - the sync job context: attempt 1 of 1, a job id, the default queue, the wire name', async () => {
    const herald = await boot({ ...SYNC, listeners: [Capture] });
    await herald.dispatch(shipment());
    const ctx = contexts[0];
    expect(ctx?.attempt).toBe(1);
    expect(ctx?.maxTries).toBe(1);
    expect(ctx?.jobId).toEqual(expect.any(String));
    expect(ctx?.queue).toBe('default');
    expect(ctx?.eventName).toBe('shipments.created');
    expect(ctx?.signal.aborted).toBe(false);
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

describe('retries and failed() on the sync connection', () => {
  it('dispatch() - tries: 3 retries inline, calls failed() once after the last attempt, then rejects', async () => {
    const herald = await boot({ ...SYNC, listeners: [AlwaysFails] });
    const error = await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(log).toEqual(['attempt 1/3', 'attempt 2/3', 'attempt 3/3', 'failed()']);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error.message).toBe('smtp down 3');
    expect(failures[0]?.event).toBeInstanceOf(ShipmentCreated);
    expect((failures[0]?.event as ShipmentCreated | undefined)?.at).toBeInstanceOf(Date);
    expect(error.cause).toBe(failures[0]?.error);
    expect(error.message).toContain('AlwaysFails');
    expect(error.message).toContain('shipments.created');
  });

  it('dispatch() - every attempt of one job shares the job id', async () => {
    const herald = await boot({ ...SYNC, listeners: [AlwaysFails] });
    await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    const ids = new Set(contexts.map((ctx) => ctx.jobId));
    expect(contexts).toHaveLength(3);
    expect(ids.size).toBe(1);
  });

  it('dispatch() - a retry that succeeds resolves the dispatch and never calls failed()', async () => {
    const herald = await boot({ ...SYNC, listeners: [SucceedsSecond] });
    await herald.dispatch(shipment());
    expect(log).toEqual(['attempt 1', 'attempt 2']);
  });

  it('dispatch() - a failing queued listener on the sync connection stops later listeners', async () => {
    const herald = await boot({ ...SYNC, listeners: [AlwaysFails, SyncAfter] });
    await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(log).not.toContain('sync after s-1');
  });

  it('dispatch() - retryUntil() in the past allows no retry, whatever tries says', async () => {
    const herald = await boot({ ...SYNC, listeners: [PastDeadline] });
    await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(log).toEqual(['attempt 1', 'failed()']);
  });

  it('dispatch() - a throwing failed() hook still fails the job, reporting both errors', async () => {
    const herald = await boot({ ...SYNC, listeners: [FailedHookThrows] });
    const error = await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(error.message).toContain('smtp down');
    expect(error.message).toContain('hook broke');
  });
});

describe('shouldQueue, viaQueue, tags', () => {
  it('dispatch() - shouldQueue() returning false skips the listener', async () => {
    const herald = await boot({ ...SYNC, listeners: [Conditional] });
    await herald.dispatch(shipment('skip'));
    await herald.dispatch(shipment('go'));
    expect(log).toEqual(['shouldQueue skip', 'shouldQueue go', 'handled go']);
  });

  it('dispatch() - viaQueue() is read on the container-built instance and ctx.queue reports it', async () => {
    const herald = await boot({ ...SYNC, listeners: [Routed] });
    await herald.dispatch(shipment('vip-1'));
    await herald.dispatch(shipment('s-2'));
    expect(contexts.map((ctx) => ctx.queue)).toEqual(['priority', 'bulk']);
  });

  it('dispatch() - tags() is read on the container-built instance and stored in the job meta', async () => {
    const push = vi.spyOn(SyncDriver.prototype, 'push');
    const herald = await boot({ ...SYNC, listeners: [Routed] });
    await herald.dispatch(shipment('s-7'));
    expect(push).toHaveBeenCalledTimes(1);
    const job = push.mock.calls[0]?.[0] as QueuedJob;
    expect(job.data.meta).toEqual({ tags: ['shipment:s-7'] });
    expect(job.data.listener).toBe('Routed');
    expect(job.data.event).toBe('shipments.created');
    expect(job.options.queue).toBe('bulk');
  });

  it('dispatch() - a static queue option is used when no viaQueue() exists', async () => {
    @Listener(ShipmentCreated, { queue: 'mail' })
    class OnMail {
      handle(_event: ShipmentCreated, ctx: ListenerContext): void {
        contexts.push(ctx);
      }
    }
    const herald = await boot({ ...SYNC, listeners: [OnMail] });
    await herald.dispatch(shipment());
    expect(contexts[0]?.queue).toBe('mail');
  });
});

describe('payloads that cannot travel', () => {
  it('dispatch() - a function property is refused with not_serializable before any listener runs', async () => {
    const herald = await boot({ ...SYNC, listeners: [SyncOfCallback, QueuedOfCallback] });
    const error = await rejectsWith(herald.dispatch(new WithCallback(() => {})), 'not_serializable');
    expect(error.message).toContain('callback');
    expect(log).toEqual([]);
  });

  it('dispatch() - the refusal also happens on the memory connection, with nothing queued', async () => {
    const herald = await boot({ listeners: [SyncOfCallback, QueuedOfCallback] });
    await rejectsWith(herald.dispatch(new WithCallback(() => {})), 'not_serializable');
    await herald.drain();
    expect(log).toEqual([]);
  });

  it('dispatch() - an event with only sync listeners may carry anything', async () => {
    const herald = await boot({ ...SYNC, listeners: [SyncOfCallback] });
    await herald.dispatch(new WithCallback(() => {}));
    expect(log).toEqual(['sync ran']);
  });
});

describe('ctx.release() and ctx.fail()', () => {
  it('ctx.release() - ends the attempt and retries; it counts as an attempt', async () => {
    const herald = await boot({ ...SYNC, listeners: [ReleasesOnce] });
    await herald.dispatch(shipment());
    expect(log).toEqual(['attempt 1', 'attempt 2']);
  });

  it('ctx.release() - with no attempts left the job fails and failed() runs once', async () => {
    const herald = await boot({ ...SYNC, listeners: [AlwaysReleases] });
    const error = await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(log).toEqual(['attempt 1', 'failed()']);
    expect(HeraldError.is(failures[0]?.error, 'job_failed')).toBe(true);
    expect(error.cause).toBe(failures[0]?.error);
  });

  it('ctx.fail() - fails at once despite tries left; failed() gets that error', async () => {
    const herald = await boot({ ...SYNC, listeners: [FailsNow] });
    const error = await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(log).toEqual(['attempt 1', 'failed()']);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.error).toBe(giveUp);
    expect(error.cause).toBe(giveUp);
  });

  it('ctx.fail() - a string reason becomes an Error with that message', async () => {
    const herald = await boot({ ...SYNC, listeners: [FailsWithString] });
    await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(failures[0]?.error).toBeInstanceOf(Error);
    expect(failures[0]?.error.message).toBe('no such address');
  });

  it('ctx.release() - in a sync listener is refused (config_invalid), failing the dispatch', async () => {
    const herald = await boot({ ...SYNC, listeners: [SyncUsesRelease] });
    const error = await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(HeraldError.is(error.cause, 'config_invalid')).toBe(true);
  });
});

describe('timeout', () => {
  it('timeout - aborts ctx.signal and fails the attempt with a timeout error', async () => {
    const herald = await boot({ ...SYNC, listeners: [Hangs] });
    const error = await rejectsWith(herald.dispatch(shipment()), 'listener_failed');
    expect(log).toEqual(['started', 'aborted', 'failed()']);
    expect(contexts[0]?.signal.aborted).toBe(true);
    expect(HeraldError.is(contexts[0]?.signal.reason, 'timeout')).toBe(true);
    expect(HeraldError.is(error.cause, 'timeout')).toBe(true);
    expect(failures).toHaveLength(1);
  });

  it('timeout - a timed-out attempt is retried when tries allow, with a fresh signal', async () => {
    const herald = await boot({ ...SYNC, listeners: [HangsOnce] });
    await herald.dispatch(shipment());
    expect(log).toEqual(['attempt 1', 'attempt 2']);
    expect(contexts[0]?.signal.aborted).toBe(true);
    expect(contexts[1]?.signal.aborted).toBe(false);
  });
});
