import { afterEach, expect } from 'vitest';
import { createHerald, type Herald, HeraldError, type HeraldErrorKind } from '../../../src/index.js';

type HeraldConfig = Parameters<typeof createHerald>[0];

/**
 * Registers an afterEach that closes every app the test booted, and returns the boot function.
 * Call once at the top level of a test file.
 */
export function useHerald(): (config?: HeraldConfig) => Promise<Herald> {
  const apps: Herald[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  return async (config) => {
    const app = await createHerald(config);
    apps.push(app);
    return app;
  };
}

/** A promise with its resolve function outside: lets a test hold a listener at a known point. */
export interface Gate {
  readonly promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Lets every pending microtask and one macrotask turn run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Awaits `promise`, expects it to reject with a HeraldError of `kind`, and returns the error for
 * further checks.
 */
export async function rejectsWith(promise: Promise<unknown>, kind: HeraldErrorKind): Promise<HeraldError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a HeraldError of kind ${kind}`).toBeInstanceOf(HeraldError);
  expect((caught as HeraldError).kind).toBe(kind);
  return caught as HeraldError;
}

/** Calls `fn`, expects it to throw a HeraldError of `kind`, and returns the error. */
export function throwsWith(fn: () => unknown, kind: HeraldErrorKind): HeraldError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected a HeraldError of kind ${kind}`).toBeInstanceOf(HeraldError);
  expect((caught as HeraldError).kind).toBe(kind);
  return caught as HeraldError;
}
