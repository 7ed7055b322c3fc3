import { afterEach, beforeEach, describe, expect } from 'vitest';
import type { KnownBugs, SuiteEnv, UseHarness } from './expectations.js';
import { resetRecorder } from './fixtures/recorder.js';
import type { DriverName, QueueHarness } from './harness.js';
import { describeAttempts } from './suites/attempts.js';
import { describeDispatchTime } from './suites/dispatch-time.js';
import { describeFailedJobs } from './suites/failed-jobs.js';
import { describeQueues } from './suites/queues.js';
import { describeScheduling } from './suites/scheduling.js';

/**
 * One queue conformance suite for every driver (hono runs one router suite against every
 * router): the same tests pin tries, backoff, timeout, release/fail, retryUntil, the
 * dispatch-time methods, delay, priority, unique and queue routing on `sync`, `memory` and `bullmq`. Only what
 * differs by design is switched by the harness's `features`, and those tests say why in their
 * titles.
 *
 * @example
 * describeQueueConformance('memory', () => inProcessHarness('memory'));
 */
export function describeQueueConformance(
  driver: DriverName,
  makeHarness: () => QueueHarness,
  knownBugs: KnownBugs = {},
  skippedSuites: SkippedSuites = {},
): void {
  // Features decide which by-design differences apply; a harness makes no connection until boot.
  const { features } = makeHarness();
  // Suites a driver cannot mean (a log has no per-job delay, say) are named in the describe title
  // with their reason, rather than registered as skipped tests that prove nothing.
  const notRun = Object.entries(skippedSuites).map(([name, reason]) => `${name}: ${reason}`);
  const title = notRun.length === 0 ? '' : ` (suites not run here - ${notRun.join('; ')})`;
  describe(`queue conformance: ${driver}${title}`, () => {
    let harness: QueueHarness | undefined;
    beforeEach(() => {
      resetRecorder();
      harness = makeHarness();
      expect(harness.driver).toBe(driver);
    });
    afterEach(async () => {
      resetRecorder(); // opens the gate, so no gated job keeps a worker from closing
      await harness?.close();
      harness = undefined;
    });
    const use: UseHarness = () => {
      if (harness === undefined) throw new Error('no harness outside a test');
      return harness;
    };
    const env: SuiteEnv = { driver, use, features, knownBugs };
    for (const [name, describeSuite] of Object.entries(SUITES)) {
      if (skippedSuites[name as SuiteName] === undefined) describeSuite(env);
    }
  });
}

const SUITES = {
  attempts: describeAttempts,
  'dispatch-time': describeDispatchTime,
  scheduling: describeScheduling,
  'failed-jobs': describeFailedJobs,
  queues: describeQueues,
} as const;

/** A suite of the conformance suite, by name. */
export type SuiteName = keyof typeof SUITES;

/** Suites a driver cannot mean by design, each with the reason (shown in the skipped test's title). */
export type SkippedSuites = Readonly<Partial<Record<SuiteName, string>>>;
