import { HeraldError } from '../errors.js';
import { WIRE_NAME_PATTERN } from '../metadata/event-metadata.js';
import type { BackoffOption, UniqueOption } from './listener-options.js';

/** Listener options after validation, with defaults filled in. */
export interface NormalizedListenerOptions {
  readonly name: string | undefined;
  readonly scope: 'singleton' | 'transient';
  /** Whether the listener runs as a queued job. */
  readonly queued: boolean;
  /** Queue name, or undefined for the connection's default queue. */
  readonly queue: string | undefined;
  /** Connection name, or undefined for the config's default connection. */
  readonly connection: string | undefined;
  readonly delay: number;
  readonly tries: number;
  readonly backoff: BackoffOption | undefined;
  readonly timeout: number | undefined;
  readonly priority: number | undefined;
  readonly unique: UniqueOption<unknown> | undefined;
  readonly order: number;
  /** `streams` only; undefined when not set (a streams listener then starts at `'new'`). */
  readonly startFrom: 'new' | 'start' | undefined;
  /** `streams` only; undefined when not set. */
  readonly ordered: boolean | undefined;
  /** `streams` only; undefined when not set. */
  readonly broadcast: boolean | undefined;
  /** Held until the surrounding transaction commits (run or pushed then); default false. */
  readonly afterCommit: boolean;
}

const KNOWN_KEYS = new Set([
  'name',
  'scope',
  'queue',
  'connection',
  'delay',
  'tries',
  'backoff',
  'timeout',
  'priority',
  'unique',
  'order',
  'startFrom',
  'ordered',
  'broadcast',
  'afterCommit',
]);

/** BullMQ's priority range (its PRIORITY_LIMIT is 2^21 - 1). */
const MAX_PRIORITY = 2_097_151;

/**
 * Longest duration a listener option may hold, in ms (about 31,700 years). Every duration is
 * added to the current time somewhere (a delayed job's due time, a unique id's expiry), and
 * a JavaScript Date ends 8.64e15 ms after 1970, so durations near Number.MAX_SAFE_INTEGER
 * cannot work; this bound leaves that range with room to spare. Durations past Node's timer
 * limit (2^31 - 1 ms, about 24.8 days) are fine: herald chains its timers (long-timer.ts).
 */
export const MAX_DURATION_MS = 1e15;

type Fail = (key: string, problem: string) => never;

/**
 * Validates raw listener options (from a decorator or `listen()`) and fills in defaults.
 * `owner` names the listener and its file in every message.
 */
export function normalizeListenerOptions(raw: unknown, owner: string): NormalizedListenerOptions {
  const fail: Fail = (key, problem) => {
    throw new HeraldError('config_invalid', `${owner}: option "${key}" ${problem}.`);
  };
  if (raw === undefined) raw = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HeraldError(
      'config_invalid',
      `${owner}: listener options must be an object like { queue: 'emails' }, got ${describe(raw)}.`,
    );
  }
  const options = raw as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.has(key)) {
      fail(key, `is not a listener option (known: ${[...KNOWN_KEYS].join(', ')}); check its spelling`);
    }
  }
  const queue = readQueue(options.queue, fail);
  const connection = optionalString(options.connection, 'connection', fail);
  return {
    name: readName(options.name, fail),
    scope: readScope(options.scope, fail),
    queued: options.queue !== undefined || connection !== undefined,
    queue,
    connection,
    delay: nonNegativeInteger(options.delay, 'delay', fail) ?? 0,
    tries: readTries(options.tries, fail),
    backoff: readBackoff(options.backoff, fail),
    timeout: positiveInteger(options.timeout, 'timeout', fail),
    priority: readPriority(options.priority, fail),
    unique: readUnique(options.unique, fail),
    order: readOrder(options.order, fail),
    startFrom: readStartFrom(options.startFrom, fail),
    ordered: optionalBoolean(options.ordered, 'ordered', fail),
    broadcast: optionalBoolean(options.broadcast, 'broadcast', fail),
    afterCommit: optionalBoolean(options.afterCommit, 'afterCommit', fail) ?? false,
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return `a ${typeof value}`;
}

function readName(value: unknown, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !WIRE_NAME_PATTERN.test(value)) {
    fail('name', `must be a non-empty name of letters, digits and . _ - : / (got ${describe(value)})`);
  }
  return value;
}

function readScope(value: unknown, fail: Fail): 'singleton' | 'transient' {
  if (value === undefined) return 'singleton';
  if (value !== 'singleton' && value !== 'transient') {
    fail('scope', `must be 'singleton' or 'transient' (got ${describe(value)})`);
  }
  return value;
}

function readQueue(value: unknown, fail: Fail): string | undefined {
  if (value === undefined || value === true) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || value.includes(':')) {
    fail('queue', `must be true (the default queue) or a queue name without ':' (got ${describe(value)})`);
  }
  return value;
}

function optionalString(value: unknown, key: string, fail: Fail): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    fail(key, `must be a non-empty string (got ${describe(value)})`);
  return value;
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** A duration in whole ms from `min` to {@link MAX_DURATION_MS}. */
function isDuration(value: unknown, min: number): value is number {
  return isInteger(value) && value >= min && value <= MAX_DURATION_MS;
}

const UP_TO = `up to ${MAX_DURATION_MS} (about 31,700 years)`;

function nonNegativeInteger(value: unknown, key: string, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (!isDuration(value, 0))
    fail(key, `must be a whole number of milliseconds from 0 ${UP_TO} (got ${describe(value)})`);
  return value;
}

function positiveInteger(value: unknown, key: string, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (!isDuration(value, 1))
    fail(key, `must be a whole number of milliseconds from 1 ${UP_TO} (got ${describe(value)})`);
  return value;
}

function readTries(value: unknown, fail: Fail): number {
  if (value === undefined) return 1;
  if (!isInteger(value) || value < 1) fail('tries', `must be a whole number >= 1 (got ${describe(value)})`);
  return value;
}

function readPriority(value: unknown, fail: Fail): number | undefined {
  if (value === undefined) return undefined;
  if (!isInteger(value) || value < 1 || value > MAX_PRIORITY) {
    fail('priority', `must be a whole number from 1 (highest) to ${MAX_PRIORITY} (got ${describe(value)})`);
  }
  return value;
}

function readOrder(value: unknown, fail: Fail): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !Number.isFinite(value))
    fail('order', `must be a finite number (got ${describe(value)})`);
  return value;
}

function readStartFrom(value: unknown, fail: Fail): 'new' | 'start' | undefined {
  if (value === undefined) return undefined;
  if (value !== 'new' && value !== 'start') {
    fail(
      'startFrom',
      `must be 'new' (entries appended from now on) or 'start' (the whole log) (got ${describe(value)})`,
    );
  }
  return value;
}

function optionalBoolean(value: unknown, key: string, fail: Fail): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(key, `must be true or false (got ${describe(value)})`);
  return value;
}

function readBackoff(value: unknown, fail: Fail): NormalizedListenerOptions['backoff'] {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!isDuration(value, 0))
      fail('backoff', `must be whole milliseconds from 0 ${UP_TO} (got ${describe(value)})`);
    return value;
  }
  if (Array.isArray(value)) {
    if (value.length === 0 || !value.every((delay) => isDuration(delay, 0))) {
      fail(
        'backoff',
        `as an array must list one or more delays in whole milliseconds from 0 ${UP_TO}, e.g. [1000, 5000]`,
      );
    }
    return [...(value as number[])];
  }
  if (typeof value === 'object' && value !== null) {
    const { type, delay, jitter, ...rest } = value as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) fail('backoff', `has an unknown key "${extra}" (known: type, delay, jitter)`);
    if (type !== 'fixed' && type !== 'exponential')
      fail('backoff', `type must be 'fixed' or 'exponential' (got ${describe(type)})`);
    if (!isDuration(delay, 0))
      fail('backoff', `delay must be whole milliseconds from 0 ${UP_TO} (got ${describe(delay)})`);
    if (
      jitter !== undefined &&
      typeof jitter !== 'boolean' &&
      !(typeof jitter === 'number' && jitter >= 0 && jitter <= 1)
    ) {
      fail('backoff', `jitter must be true, false or a number from 0 to 1 (got ${describe(jitter)})`);
    }
    return jitter === undefined ? { type, delay } : { type, delay, jitter: jitter as number | boolean };
  }
  return fail(
    'backoff',
    `must be milliseconds, an array of milliseconds or { type, delay } (got ${describe(value)})`,
  );
}

function readUnique(value: unknown, fail: Fail): NormalizedListenerOptions['unique'] {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null)
    fail('unique', `must be { id: (event) => string, ttl? } (got ${describe(value)})`);
  const { id, ttl, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) fail('unique', `has an unknown key "${extra}" (known: id, ttl)`);
  if (typeof id !== 'function') fail('unique', 'needs id: a function from the event to a string');
  if (ttl !== undefined && !isDuration(ttl, 1))
    fail('unique', `ttl must be whole milliseconds from 1 ${UP_TO} (got ${describe(ttl)})`);
  return ttl === undefined
    ? { id: id as (event: unknown) => string }
    : { id: id as (event: unknown) => string, ttl: ttl as number };
}
