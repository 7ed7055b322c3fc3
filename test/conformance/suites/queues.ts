import { describe, expect, it } from 'vitest';
import type { SuiteEnv } from '../expectations.js';
import { OrderPlaced } from '../fixtures/events.js';
import {
  FailsOnDefaultQueue,
  FailsOnEmailsQueue,
  OnDefaultQueue,
  OnEmailsQueue,
} from '../fixtures/queue-listeners.js';
import { attemptsOf, recorded } from '../fixtures/recorder.js';

/** The default queue a connection's config names, and queues listeners name themselves. */
export function describeQueues(env: SuiteEnv): void {
  const { use, features } = env;
  /** The conformance connection's configured default queue (not `'default'`). */
  const MAIN = 'main';

  describe('queues', () => {
    it("queues - a job runs on the connection's configured default queue or its listener's own, and queuesOf() names both", async () => {
      const h = use();
      const app = await h.boot({ listeners: [OnDefaultQueue, OnEmailsQueue], defaultQueue: MAIN });
      expect(app.queuesOf().sort()).toEqual(['emails', MAIN]);
      expect(await h.dispatch(new OrderPlaced('o-1'))).toBeUndefined();
      await h.settle(() => recorded.attempts.length === 2);
      expect(attemptsOf('OnDefaultQueue').map((a) => a.queue)).toEqual([MAIN]);
      expect(attemptsOf('OnEmailsQueue').map((a) => a.queue)).toEqual(['emails']);
    });

    it.skipIf(features.runsInline)(
      'failedJobs() - lists failed jobs of the configured default queue and of named queues (sync keeps no failed jobs, by design)',
      async () => {
        const h = use();
        const app = await h.boot({
          listeners: [FailsOnDefaultQueue, FailsOnEmailsQueue],
          defaultQueue: MAIN,
        });
        await h.dispatch(new OrderPlaced('o-1'));
        await h.settle(() => recorded.failures.length === 2);
        const rows = (await app.failedJobs())
          .map(({ listener, queue }) => ({ listener, queue }))
          .sort((a, b) => a.listener.localeCompare(b.listener));
        expect(rows).toEqual([
          { listener: 'FailsOnDefaultQueue', queue: MAIN },
          { listener: 'FailsOnEmailsQueue', queue: 'emails' },
        ]);
      },
    );
  });
}
