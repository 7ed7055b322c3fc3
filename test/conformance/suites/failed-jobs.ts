import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/index.js';
import { expectDispatchOutcome, type SuiteEnv } from '../expectations.js';
import { FailedHookThrows, FailsAlways, FailsNow, giveUp } from '../fixtures/attempt-listeners.js';
import { Captures } from '../fixtures/dispatch-listeners.js';
import { OrderPlaced } from '../fixtures/events.js';
import { attemptsOf, failuresOf, recorded } from '../fixtures/recorder.js';

/** Jobs out of attempts: `failed()` hooks that throw, `failedJobs()`, `retryFailed()`. */
export function describeFailedJobs(env: SuiteEnv): void {
  const { use, features } = env;
  const NO_STORE = 'sync keeps no failed jobs: a failure rejects the dispatch instead, by design';

  describe('failed jobs', () => {
    it('failed() - a hook that throws is not retried: the job fails once, reporting both errors', async () => {
      const h = use();
      const app = await h.boot({ listeners: [FailedHookThrows] });
      const outcome = await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => failuresOf('FailedHookThrows').length > 0);
      expect(recorded.timeline).toEqual(['FailedHookThrows attempt 1', 'FailedHookThrows failed(smtp down)']);
      const reported = features.runsInline
        ? String((outcome as Error).message)
        : ((await app.failedJobs())[0]?.error ?? '');
      expect(reported).toContain('smtp down');
      expect(reported).toContain('hook broke');
    });

    it(`failedJobs() - lists each job out of attempts once, with its attempts and last error (${NO_STORE})`, async () => {
      const h = use();
      const app = await h.boot({ listeners: [Captures, FailsAlways, FailsNow] });
      const outcome = await h.dispatch(new OrderPlaced('o-1'));
      await h.settle(() => recorded.failures.length === 2 || (features.runsInline && outcome !== undefined));
      if (features.runsInline) {
        // The first failing listener rejected the dispatch; the next one never ran.
        expectDispatchOutcome(h, outcome, failuresOf('FailsAlways')[0]?.error);
        const error = await app.failedJobs().catch((caught: unknown) => caught);
        expect(HeraldError.is(error, 'unsupported')).toBe(true);
        return;
      }
      const failed = await app.failedJobs();
      const rows = failed
        .map(({ listener, event, queue, connection, attempts, error }) => ({
          listener,
          event,
          queue,
          connection,
          attempts,
          error,
        }))
        .sort((a, b) => a.listener.localeCompare(b.listener));
      const common = { event: 'conf.order-placed', queue: 'default', connection: 'conf' };
      expect(rows).toEqual([
        { listener: 'FailsAlways', ...common, attempts: 3, error: 'boom 3' },
        { listener: 'FailsNow', ...common, attempts: 1, error: giveUp.message },
      ]);
      for (const job of failed) expect(job.failedAt).toBeInstanceOf(Date);
    });

    it.skipIf(features.runsInline)(
      `retryFailed() - runs a failed job again with fresh attempts 1..tries; failed() runs once more (${NO_STORE})`,
      async () => {
        const h = use();
        const app = await h.boot({ listeners: [FailsAlways] });
        await h.dispatch(new OrderPlaced('o-1'));
        await h.settle(() => failuresOf('FailsAlways').length === 1);
        const [failed] = await app.failedJobs();
        expect(await app.retryFailed('all')).toEqual([failed?.id]);
        await h.settle(() => failuresOf('FailsAlways').length === 2);
        expect(attemptsOf('FailsAlways').map((a) => a.attempt)).toEqual([1, 2, 3, 1, 2, 3]);
        expect(new Set(attemptsOf('FailsAlways').map((a) => a.jobId))).toEqual(new Set([failed?.id]));
        expect((await app.failedJobs()).map((job) => [job.id, job.attempts])).toEqual([[failed?.id, 3]]);
      },
    );
  });
}
