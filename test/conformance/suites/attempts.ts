import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { EARLY_MS, expectDispatchOutcome, type SuiteEnv } from '../expectations.js';
import {
  AlwaysReleases,
  BACKOFF_CASES,
  BackoffMethod,
  deadline,
  FailsAlways,
  FailsNow,
  FailsWithString,
  FutureDeadline,
  giveUp,
  IgnoresTimeout,
  PastDeadline,
  ReleasesOnce,
  SucceedsThird,
  TimesOutAlways,
  TimesOutOnce,
} from '../fixtures/attempt-listeners.js';
import { Captures } from '../fixtures/dispatch-listeners.js';
import { Address, constructions, OrderPlaced } from '../fixtures/events.js';
import { attemptsOf, failuresOf, gapsOf, recorded } from '../fixtures/recorder.js';

/** The event, the context, and what one job's attempts do: tries, backoff, timeout, release, fail. */
export function describeAttempts(env: SuiteEnv): void {
  const { use } = env;
  describe('the job handed to handle()', () => {
    it('handle() - gets a decoded copy of the event (Date, BigInt, Map, nested @Serializable revived)', async () => {
      const h = use();
      await h.boot({ listeners: [Captures] });
      const original = new OrderPlaced('o-1');
      expectDispatchOutcome(h, await h.dispatch(original));
      await h.settle(() => recorded.received.length === 1);
      const copy = recorded.received[0]?.event as OrderPlaced;
      expect(copy).not.toBe(original);
      expect(copy).toBeInstanceOf(OrderPlaced);
      expect(copy).toStrictEqual(original);
      expect(copy.at).toBeInstanceOf(Date);
      expect(copy.at.toISOString()).toBe('2024-05-06T07:08:09.010Z');
      expect(copy.cents).toBe(12_345_678_901_234_567_890n);
      expect(copy.lines).toBeInstanceOf(Map);
      expect([...copy.lines]).toEqual([
        ['sku-1', 2],
        ['sku-2', 1],
      ]);
      expect(copy.shipTo).toBeInstanceOf(Address);
      expect(copy.shipTo).not.toBe(original.shipTo);
      expect(copy.shipTo.label()).toBe('0150 Oslo');
    });

    it("handle() - the decoded copy is revived without running the event's constructor", async () => {
      const h = use();
      await h.boot({ listeners: [Captures] });
      const original = new OrderPlaced('o-1');
      const built = constructions.count;
      await h.dispatch(original);
      await h.settle(() => recorded.received.length === 1);
      expect(recorded.received[0]?.event).toBeInstanceOf(OrderPlaced);
      expect(constructions.count).toBe(built);
    });

    it('handle() - gets the job context: attempt 1 of maxTries, a job id, the queue, the event wire name', async () => {
      const h = use();
      await h.boot({ listeners: [Captures] });
      await h.dispatch(new OrderPlaced('o-1'));
      await h.dispatch(new OrderPlaced('o-2'));
      await h.settle(() => recorded.received.length === 2);
      // Two jobs may run at once: compare them in event order.
      const attempts = attemptsOf('Captures').sort((a, b) => a.eventId.localeCompare(b.eventId));
      // A log has no queues: a streams job reports its stream (here the event's wire name).
      const queue = h.features.isLog ? 'conf.order-placed' : 'default';
      expect(attempts).toMatchObject([
        { eventId: 'o-1', attempt: 1, maxTries: 1, queue, eventName: 'conf.order-placed' },
        { eventId: 'o-2', attempt: 1, maxTries: 1, queue, eventName: 'conf.order-placed' },
      ]);
      const [first, second] = recorded.received.map(({ ctx }) => ctx);
      expect(first?.jobId).toEqual(expect.any(String));
      expect(second?.jobId).toEqual(expect.any(String));
      expect(first?.jobId).not.toBe(second?.jobId);
      expect(first?.signal).toBeInstanceOf(AbortSignal);
      expect(first?.signal.aborted).toBe(false);
    });
  });

  describe('tries and failed()', () => {
    it('tries - a job that always throws is attempted 1..tries under one job id; failed() runs once, last, with the last error', async () => {
      const h = use();
      await h.boot({ listeners: [FailsAlways] });
      const outcome = await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => failuresOf('FailsAlways').length > 0);
      expect(recorded.timeline).toEqual([
        'FailsAlways attempt 1',
        'FailsAlways attempt 2',
        'FailsAlways attempt 3',
        'FailsAlways failed(boom 3)',
      ]);
      const attempts = attemptsOf('FailsAlways');
      expect(attempts.map((a) => a.maxTries)).toEqual([3, 3, 3]);
      expect(new Set(attempts.map((a) => a.jobId)).size).toBe(1);
      const [failure] = failuresOf('FailsAlways');
      expect(failure?.error.message).toBe('boom 3');
      expect(failure?.event).toBeInstanceOf(OrderPlaced);
      expect((failure?.event as OrderPlaced | undefined)?.at).toBeInstanceOf(Date);
      expectDispatchOutcome(h, outcome, failure?.error);
    });

    it('tries - a retry that succeeds completes the job and never calls failed()', async () => {
      const h = use();
      await h.boot({ listeners: [SucceedsThird] });
      expectDispatchOutcome(h, await h.dispatch(new OrderPlaced('o-1')));
      await h.settle(() => attemptsOf('SucceedsThird').length === 3);
      expect(recorded.timeline).toEqual([
        'SucceedsThird attempt 1',
        'SucceedsThird attempt 2',
        'SucceedsThird attempt 3',
      ]);
      expect(recorded.failures).toEqual([]);
    });
  });

  describe('backoff', () => {
    for (const { name: wireName, label, listener, min } of BACKOFF_CASES) {
      it(`backoff ${label} - retries wait at least the configured delays (sync runs retries back to back, by design)`, async () => {
        const h = use();
        await h.boot({ listeners: [listener] });
        const outcome = await h.dispatch(new OrderPlaced('o-1'));
        await h.settle(() => failuresOf(wireName).length > 0);
        expect(attemptsOf(wireName).map((a) => a.attempt)).toEqual([1, 2, 3]);
        expect(failuresOf(wireName).map((f) => f.error.message)).toEqual([`${wireName} 3`]);
        expectDispatchOutcome(h, outcome, failuresOf(wireName)[0]?.error);
        if (!h.features.waitsDelays) return;
        const gaps = gapsOf(wireName);
        expect(gaps[0]).toBeGreaterThanOrEqual(min[0] - EARLY_MS);
        expect(gaps[1]).toBeGreaterThanOrEqual(min[1] - EARLY_MS);
      });
    }

    it.skipIf(env.features.isLog)(
      'backoff() - the method, read at dispatch on the container-built instance, replaces the option (sync: no wait, by design) (skipped on streams: one entry serves every listener, so a value returned per job at dispatch cannot travel with it)',
      async () => {
        const h = use();
        await h.boot({ listeners: [BackoffMethod] });
        await h.dispatch(new OrderPlaced('o-1'));
        expect(recorded.calls).toEqual(['backoff o-1']);
        await h.settle(() => attemptsOf('BackoffMethod').length === 2);
        expect(recorded.calls).toEqual(['backoff o-1']);
        if (h.features.waitsDelays) expect(gapsOf('BackoffMethod')[0]).toBeGreaterThanOrEqual(30 - EARLY_MS);
      },
    );
  });

  describe('timeout', () => {
    it('timeout - aborts ctx.signal with a timeout error and fails the attempt; the retry gets a fresh signal', async () => {
      const h = use();
      await h.boot({ listeners: [TimesOutOnce] });
      expectDispatchOutcome(h, await h.dispatch(new OrderPlaced('o-1')));
      await h.settle(() => attemptsOf('TimesOutOnce').length === 2);
      expect(recorded.timeline).toEqual(['TimesOutOnce attempt 1', 'TimesOutOnce attempt 2']);
      const [first, second] = recorded.received.map(({ ctx }) => ctx);
      expect(first?.signal.aborted).toBe(true);
      expect(HeraldError.is(first?.signal.reason, 'timeout')).toBe(true);
      expect(second?.signal.aborted).toBe(false);
    });

    it('timeout - a timed-out last attempt fails the job: failed() runs once with the timeout error', async () => {
      const h = use();
      await h.boot({ listeners: [TimesOutAlways] });
      const outcome = await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => failuresOf('TimesOutAlways').length > 0);
      const failures = failuresOf('TimesOutAlways');
      expect(failures).toHaveLength(1);
      expect(HeraldError.is(failures[0]?.error, 'timeout')).toBe(true);
      expect(recorded.received[0]?.ctx.signal.reason).toBe(failures[0]?.error);
      expectDispatchOutcome(h, outcome, failures[0]?.error);
    });

    it('timeout - a handler that ignores ctx.signal keeps its slot until it settles: with concurrency 1 nothing starts beside it, and failed() runs after it', async () => {
      const h = use();
      await h.boot({ listeners: [IgnoresTimeout], concurrency: 1 });
      const outcomes = [await h.dispatch(new OrderPlaced('o-1')), await h.dispatch(new OrderPlaced('o-2'))];
      await h.settle(() => failuresOf('IgnoresTimeout').length === 2);
      let running = 0;
      for (const entry of recorded.timeline) {
        if (entry.startsWith('IgnoresTimeout attempt')) running++;
        if (entry.startsWith('IgnoresTimeout settled')) running--;
        expect(running, recorded.timeline.join(' | ')).toBeLessThanOrEqual(1);
        if (entry.startsWith('IgnoresTimeout failed')) expect(running, recorded.timeline.join(' | ')).toBe(0);
      }
      expect(attemptsOf('IgnoresTimeout')).toHaveLength(4);
      expect(recorded.timeline.filter((entry) => entry.includes('settled'))).toHaveLength(4);
      for (const [index, id] of ['o-1', 'o-2'].entries()) {
        const failure = failuresOf('IgnoresTimeout').find((f) => (f.event as OrderPlaced).id === id);
        expect(HeraldError.is(failure?.error, 'timeout')).toBe(true);
        expectDispatchOutcome(h, outcomes[index], failure?.error);
      }
    });
  });

  describe('ctx.release() and ctx.fail()', () => {
    it('ctx.release(ms) - retries after at least ms, and the release counts as an attempt (sync: no wait, by design)', async () => {
      const h = use();
      await h.boot({ listeners: [ReleasesOnce] });
      expectDispatchOutcome(h, await h.dispatch(new OrderPlaced('o-1')));
      await h.settle(() => attemptsOf('ReleasesOnce').length === 2);
      expect(attemptsOf('ReleasesOnce').map((a) => [a.attempt, a.maxTries])).toEqual([
        [1, 2],
        [2, 2],
      ]);
      expect(recorded.failures).toEqual([]);
      if (h.features.waitsDelays) expect(gapsOf('ReleasesOnce')[0]).toBeGreaterThanOrEqual(40 - EARLY_MS);
    });

    it('ctx.release() - with no attempts left the job fails and failed() runs once (job_failed)', async () => {
      const h = use();
      await h.boot({ listeners: [AlwaysReleases] });
      const outcome = await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => failuresOf('AlwaysReleases').length > 0);
      expect(recorded.timeline).toEqual([
        'AlwaysReleases attempt 1',
        'AlwaysReleases attempt 2',
        'AlwaysReleases failed(AlwaysReleases released the job.)',
      ]);
      const [failure] = failuresOf('AlwaysReleases');
      expect(HeraldError.is(failure?.error, 'job_failed')).toBe(true);
      expectDispatchOutcome(h, outcome, failure?.error);
    });

    it('ctx.fail(error) - fails the job at once despite tries left; failed() runs once with that error', async () => {
      const h = use();
      await h.boot({ listeners: [FailsNow] });
      const outcome = await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => failuresOf('FailsNow').length > 0);
      expect(recorded.timeline).toEqual(['FailsNow attempt 1', `FailsNow failed(${giveUp.message})`]);
      expect(failuresOf('FailsNow')[0]?.error).toBe(giveUp);
      expectDispatchOutcome(h, outcome, giveUp);
    });

    it('ctx.fail(reason) - a string reason becomes an Error with that message', async () => {
      const h = use();
      await h.boot({ listeners: [FailsWithString] });
      const outcome = await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => failuresOf('FailsWithString').length > 0);
      const [failure] = failuresOf('FailsWithString');
      expect(failure?.error).toBeInstanceOf(Error);
      expect(failure?.error.message).toBe('no such address');
      expectDispatchOutcome(h, outcome, failure?.error);
    });
  });

  describe('retryUntil()', () => {
    it.skipIf(env.features.isLog)(
      'retryUntil() in the past - no retry, whatever tries says; failed() runs once (skipped on streams: one entry serves every listener, so a value returned per job at dispatch cannot travel with it)',
      async () => {
        const h = use();
        await h.boot({ listeners: [PastDeadline] });
        const outcome = await h.dispatch(new OrderPlaced('o-1'));
        await h.settle(() => failuresOf('PastDeadline').length > 0);
        expect(recorded.timeline).toEqual(['PastDeadline attempt 1', 'PastDeadline failed(late)']);
        expectDispatchOutcome(h, outcome, failuresOf('PastDeadline')[0]?.error);
      },
    );

    it.skipIf(env.features.isLog)(
      'retryUntil() in the future - replaces tries: retries until the deadline, then failed() once (sync: tries still bound it, by design) (skipped on streams: one entry serves every listener, so a value returned per job at dispatch cannot travel with it)',
      async () => {
        const h = use();
        await h.boot({ listeners: [FutureDeadline] });
        await h.startWorker(); // the deadline runs from dispatch: a worker must be waiting already
        const outcome = await h.dispatch(new OrderPlaced('o-1'));
        await h.settle(() => failuresOf('FutureDeadline').length > 0);
        const attempts = attemptsOf('FutureDeadline');
        const failures = failuresOf('FutureDeadline');
        expect(failures).toHaveLength(1);
        expect(recorded.timeline.at(-1)).toBe(`FutureDeadline failed(still down ${attempts.length})`);
        expect(attempts.map((a) => a.attempt)).toEqual(attempts.map((_, index) => index + 1));
        expectDispatchOutcome(h, outcome, failures[0]?.error);
        if (h.features.triesBoundRetryUntil) {
          expect(attempts.map((a) => a.maxTries)).toEqual([1]);
          return;
        }
        expect(attempts.length).toBeGreaterThan(1);
        // No count bounds the attempts any more, and ctx.maxTries says so.
        for (const attempt of attempts) expect(attempt.maxTries).toBe(Number.POSITIVE_INFINITY);
        // No attempt starts after the deadline; the job gives up only when the next retry (20 ms
        // of backoff later) would have.
        for (const attempt of attempts) expect(attempt.wallClock).toBeLessThan(deadline.at);
        expect((failures[0]?.wallClock ?? 0) + 20).toBeGreaterThanOrEqual(deadline.at - EARLY_MS);
      },
    );
  });
}
