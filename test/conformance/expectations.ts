import { expect, it } from 'vitest';
import { HeraldError } from '../../src/index.js';
import type { DriverFeatures, DriverName, QueueHarness } from './harness.js';

/** Gives a suite the current test's harness. */
export type UseHarness = () => QueueHarness;

/**
 * Conformance tests a driver is known to fail today, by id, with what is wrong. They run as
 * `it.fails`, so the suite stays green while the bug stands and turns red the day it is fixed:
 * then delete the entry.
 */
export type KnownBugs = Readonly<Record<string, string>>;

/** What a conformance suite gets: the current test's harness and the driver's fixed facts. */
export interface SuiteEnv {
  readonly driver: DriverName;
  readonly use: UseHarness;
  readonly features: DriverFeatures;
  readonly knownBugs: KnownBugs;
}

/** `it(title, fn)`, or `it.fails` naming the bug when the driver is known to fail test `id`. */
export function itConforms(env: SuiteEnv, id: string, title: string, fn: () => Promise<void>): void {
  const bug = env.knownBugs[id];
  if (bug === undefined) it(title, fn);
  else it.fails(`${title} [KNOWN BUG on ${env.driver}: ${bug}]`, fn);
}

/**
 * A job's final failure: on sync `dispatch` itself rejects with `listener_failed` (cause = the
 * error `failed()` got); on queued drivers `dispatch` has resolved long before.
 */
export function expectDispatchOutcome(harness: QueueHarness, outcome: unknown, finalError?: Error): void {
  if (finalError === undefined || !harness.features.runsInline) {
    expect(outcome).toBeUndefined();
    return;
  }
  expect(HeraldError.is(outcome, 'listener_failed'), String(outcome)).toBe(true);
  expect((outcome as HeraldError).cause).toBe(finalError);
}

/** Lower bound on a measured wait: timers may fire about a millisecond early by rounding. */
export const EARLY_MS = 2;
