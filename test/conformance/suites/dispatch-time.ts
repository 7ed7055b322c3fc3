import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { expectDispatchOutcome, type SuiteEnv } from '../expectations.js';
import {
  AlsoCaptures,
  Captures,
  Conditional,
  OnMailQueue,
  PicksConnection,
  QueuedOfCallback,
  Routed,
  SyncOfCallback,
  SyncSide,
} from '../fixtures/dispatch-listeners.js';
import { OrderPlaced, WithCallback } from '../fixtures/events.js';
import { attemptsOf, recorded } from '../fixtures/recorder.js';

/**
 * What is decided at dispatch, on the container-built listener instance: whether to queue, which
 * queue and connection, the tags; and how a dispatch becomes jobs.
 */
export function describeDispatchTime(env: SuiteEnv): void {
  const { use } = env;
  describe('dispatch-time decisions', () => {
    it('shouldQueue() false - no job is pushed and the listener never runs', async () => {
      const h = use();
      await h.boot({ listeners: [Conditional] });
      expectDispatchOutcome(h, await h.dispatch(new OrderPlaced('skip')));
      expectDispatchOutcome(h, await h.dispatch(new OrderPlaced('go')));
      await h.settle(() => attemptsOf('Conditional').length === 1);
      expect(recorded.calls).toEqual(['shouldQueue skip', 'shouldQueue go']);
      expect(attemptsOf('Conditional').map((a) => a.eventId)).toEqual(['go']);
      const jobs = await h.storedJobs();
      expect(jobs.map((job) => job.listener)).toEqual(['Conditional']);
    });

    it('viaQueue() / tags() - read once, at dispatch, on the container-built instance: ctx.queue and meta.tags carry them', async () => {
      const h = use();
      await h.boot({ listeners: [Routed], extraQueues: ['vip', 'bulk'] });
      await h.dispatch(new OrderPlaced('vip-1'));
      await h.dispatch(new OrderPlaced('o-2'));
      // Both ran on the dispatching side: the worker never calls them again.
      expect(recorded.calls).toEqual(['viaQueue vip-1', 'tags vip-1', 'viaQueue o-2', 'tags o-2']);
      await h.settle(() => attemptsOf('Routed').length === 2);
      expect(recorded.calls).toHaveLength(4);
      const queues = attemptsOf('Routed').map((a) => `${a.eventId} ${a.queue}`);
      expect(queues.sort()).toEqual(['o-2 bulk', 'vip-1 vip']);
      const jobs = await h.storedJobs();
      expect(jobs.map((job) => job.meta.tags).sort()).toEqual([
        ['order:o-2', 'conformance'],
        ['order:vip-1', 'conformance'],
      ]);
    });

    it("queue: 'mail' - a static queue name, with no viaQueue(), is the job's queue (ctx.queue)", async () => {
      const h = use();
      await h.boot({ listeners: [OnMailQueue] });
      expectDispatchOutcome(h, await h.dispatch(new OrderPlaced('o-1')));
      await h.settle(() => attemptsOf('OnMailQueue').length === 1);
      expect(attemptsOf('OnMailQueue')[0]?.queue).toBe('mail');
    });

    it('viaConnection() - read at dispatch, it overrides the connection option', async () => {
      const h = use();
      await h.boot({ listeners: [PicksConnection] });
      // The option names an unreachable connection: the dispatch would reject if it were used.
      expectDispatchOutcome(h, await h.dispatch(new OrderPlaced('o-1')));
      await h.settle(() => attemptsOf('PicksConnection').length === 1);
      expect(recorded.calls).toEqual(['viaConnection o-1']);
      expect(attemptsOf('PicksConnection')[0]).toMatchObject({ eventId: 'o-1', queue: 'default' });
    });

    it('dispatch() - one job per (event, queued listener), sync listeners none; the jobs of one dispatch share a dispatchId', async () => {
      const h = use();
      await h.boot({ listeners: [Captures, SyncSide, AlsoCaptures] });
      await h.dispatch(new OrderPlaced('o-1'));
      await h.dispatch(new OrderPlaced('o-2'));
      await h.settle(() => recorded.attempts.length === 4);
      expect(recorded.calls).toEqual(['sync o-1', 'sync o-2']);
      const jobs = await h.storedJobs();
      expect(jobs).toHaveLength(4);
      for (const job of jobs) {
        expect(job).toMatchObject({ v: 1, event: 'conf.order-placed', meta: {} });
        expect(typeof job.dispatchId).toBe('string');
        expect(Number.isNaN(Date.parse(job.dispatchedAt))).toBe(false);
      }
      const byDispatch = new Map<string, string[]>();
      for (const job of jobs)
        byDispatch.set(job.dispatchId, [...(byDispatch.get(job.dispatchId) ?? []), job.listener]);
      expect([...byDispatch.values()].map((listeners) => listeners.sort())).toEqual([
        ['AlsoCaptures', 'Captures'],
        ['AlsoCaptures', 'Captures'],
      ]);
      const ids = new Set(recorded.received.map(({ ctx }) => ctx.jobId));
      expect(ids.size).toBe(4);
    });

    it('dispatch() - an event that cannot be encoded is refused with not_serializable before any listener runs; nothing is pushed', async () => {
      const h = use();
      await h.boot({ listeners: [SyncOfCallback, QueuedOfCallback] });
      const outcome = await h.dispatch(new WithCallback(() => {}));
      expect(HeraldError.is(outcome, 'not_serializable'), String(outcome)).toBe(true);
      expect((outcome as HeraldError).message).toContain('callback');
      await h.settle();
      expect(recorded.calls).toEqual([]);
      expect(await h.storedJobs()).toEqual([]);
    });

    it('dispatch() - an event with only sync listeners is never encoded: it may carry anything', async () => {
      const h = use();
      await h.boot({ listeners: [SyncOfCallback] });
      expect(await h.dispatch(new WithCallback(() => {}))).toBeUndefined();
      expect(recorded.calls).toEqual(['sync ran']);
    });
  });
}
