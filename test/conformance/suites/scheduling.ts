import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { EARLY_MS, expectDispatchOutcome, type SuiteEnv } from '../expectations.js';
import {
  Delayed,
  DelayedByMethod,
  GateKeeper,
  HighLater,
  LowLater,
  P1,
  P2,
  P3,
  PMax,
  PNone,
  UniqueJob,
  UniqueRetries,
  UniqueWithTtl,
} from '../fixtures/dispatch-listeners.js';
import { OrderPlaced } from '../fixtures/events.js';
import { attemptsOf, closeGate, openGate, recorded } from '../fixtures/recorder.js';
import { pollUntil } from '../harness.js';

/** When jobs run: delay, priority, and unique (deduplicated) jobs. */
export function describeScheduling(env: SuiteEnv): void {
  const { use, features } = env;
  describe('delay', () => {
    it('delay - a delayed job does not run before its delay, with a worker already waiting (sync runs inline, by design)', async () => {
      const h = use();
      await h.boot({ listeners: [Delayed] });
      await h.startWorker();
      const start = performance.now();
      await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => attemptsOf('Delayed').length === 1);
      if (!h.features.waitsDelays) return;
      expect((attemptsOf('Delayed')[0]?.at ?? 0) - start).toBeGreaterThanOrEqual(60 - EARLY_MS);
    });

    it('withDelay() - read at dispatch on the container-built instance, it delays the job (sync runs inline, by design)', async () => {
      const h = use();
      await h.boot({ listeners: [DelayedByMethod] });
      await h.startWorker();
      const start = performance.now();
      await h.dispatch(new OrderPlaced('o-1'));
      expect(recorded.calls).toEqual(['withDelay o-1']);
      await h.settle(() => attemptsOf('DelayedByMethod').length === 1);
      expect(recorded.calls).toEqual(['withDelay o-1']);
      if (!h.features.waitsDelays) return;
      expect((attemptsOf('DelayedByMethod')[0]?.at ?? 0) - start).toBeGreaterThanOrEqual(50 - EARLY_MS);
    });
  });

  const INLINE = 'skipped on sync: jobs run inline inside dispatch, so none ever waits';

  describe.skipIf(features.runsInline)(`priority (${INLINE})`, () => {
    it('priority - with concurrency 1, waiting jobs start by priority, 1 first', async () => {
      const h = use();
      await h.boot({ listeners: [P3, P1, P2], concurrency: 1 });
      await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => recorded.attempts.length === 3);
      expect(recorded.attempts.map((a) => a.listener)).toEqual(['P1', 'P2', 'P3']);
    });

    it("priority - unprioritised jobs start before prioritised ones (BullMQ's rule)", async () => {
      const h = use();
      await h.boot({ listeners: [P2, P1, PNone], concurrency: 1 });
      await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => recorded.attempts.length === 3);
      expect(recorded.attempts.map((a) => a.listener)).toEqual(['PNone', 'P1', 'P2']);
    });

    it('priority - a later higher-priority job overtakes an earlier lower-priority one that is waiting', async () => {
      const h = use();
      closeGate();
      await h.boot({ listeners: [GateKeeper, LowLater, HighLater], concurrency: 1 });
      await h.startWorker();
      await h.dispatch(new OrderPlaced('first'));
      await pollUntil(
        () => attemptsOf('GateKeeper').length === 1,
        () => 'the gated job never started',
      );
      await h.dispatch(new OrderPlaced('second'));
      await h.dispatch(new OrderPlaced('third'));
      openGate();
      await h.settle(() => recorded.attempts.length === 3);
      expect(recorded.attempts.map((a) => a.listener)).toEqual(['GateKeeper', 'HighLater', 'LowLater']);
    });
  });

  it('priority - the documented lowest priority (2_097_151) is accepted and the job runs', async () => {
    const h = use();
    await h.boot({ listeners: [PMax] });
    expectDispatchOutcome(h, await h.dispatch(new OrderPlaced('o-1')));
    await h.settle(() => recorded.attempts.length === 1);
    expect(attemptsOf('PMax')).toHaveLength(1);
  });

  describe.skipIf(features.runsInline)(`unique while pending (${INLINE})`, () => {
    it('unique - a second dispatch with the same id while the first job is pending is dropped', async () => {
      const h = use();
      closeGate();
      await h.boot({ listeners: [UniqueJob] });
      await h.dispatch(new OrderPlaced('x'));
      await h.dispatch(new OrderPlaced('x'));
      await h.dispatch(new OrderPlaced('y'));
      openGate();
      await h.settle(() => attemptsOf('UniqueJob').length === 2);
      expect(attemptsOf('UniqueJob').map((a) => a.eventId)).toEqual(['x', 'y']);
    });

    it('unique - the id stays taken while its job runs', async () => {
      const h = use();
      closeGate();
      await h.boot({ listeners: [UniqueJob] });
      await h.startWorker();
      await h.dispatch(new OrderPlaced('x'));
      await pollUntil(
        () => attemptsOf('UniqueJob').length === 1,
        () => 'the unique job never started',
      );
      await h.dispatch(new OrderPlaced('x'));
      openGate();
      await h.settle();
      expect(attemptsOf('UniqueJob').map((a) => a.eventId)).toEqual(['x']);
    });

    it('unique - the id stays taken while the job waits for its retry', async () => {
      const h = use();
      await h.boot({ listeners: [UniqueRetries] });
      await h.startWorker();
      await h.dispatch(new OrderPlaced('x'));
      await pollUntil(
        () => attemptsOf('UniqueRetries').length === 1,
        () => 'attempt 1 never ran',
      );
      await h.dispatch(new OrderPlaced('x'));
      expect(attemptsOf('UniqueRetries'), 'the retry ran before the second dispatch').toHaveLength(1);
      await h.settle(() => attemptsOf('UniqueRetries').length === 2);
      const attempts = attemptsOf('UniqueRetries');
      expect(attempts.map((a) => a.attempt)).toEqual([1, 2]);
      expect(new Set(attempts.map((a) => a.jobId)).size).toBe(1);
    });

    it('unique with ttl - the id stays taken after the job completed, until the ttl ends', async () => {
      const h = use();
      await h.boot({ listeners: [UniqueWithTtl] });
      await h.dispatch(new OrderPlaced('x'));
      await h.settle(() => attemptsOf('UniqueWithTtl').length === 1);
      await h.dispatch(new OrderPlaced('x'));
      await h.dispatch(new OrderPlaced('y'));
      await h.settle(() => attemptsOf('UniqueWithTtl').length === 2);
      expect(attemptsOf('UniqueWithTtl').map((a) => a.eventId)).toEqual(['x', 'y']);
    });
  });

  it('unique - once the job has completed, its id is free again', async () => {
    const h = use();
    await h.boot({ listeners: [UniqueJob] });
    await h.dispatch(new OrderPlaced('x'));
    await h.settle(() => attemptsOf('UniqueJob').length === 1);
    await h.dispatch(new OrderPlaced('x'));
    await h.settle(() => attemptsOf('UniqueJob').length === 2);
    expect(attemptsOf('UniqueJob').map((a) => a.eventId)).toEqual(['x', 'x']);
  });
}
