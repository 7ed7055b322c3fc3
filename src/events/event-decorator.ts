import { HeraldError } from '../errors.js';
import { callerFile } from '../metadata/caller-file.js';
import type { AnyClass } from '../metadata/class-types.js';
import { recordDecoration } from '../metadata/decoration-log.js';
import {
  defineWireMetadata,
  type EventStreamMetadata,
  STREAM_NAME_PATTERN,
} from '../metadata/event-metadata.js';
import { EVENT_METADATA } from '../metadata/keys.js';

/** The event as a `key` function sees it when `@Event` is not given the class as a type argument. */
export type AnyEventFields = { readonly [field: string]: unknown };

/** Options of `@Event`: `afterCommit`, and `stream`/`key` for `streams` connections. */
export interface EventOptions<E = AnyEventFields> {
  /**
   * The log the event is appended to on the default `streams` connection, on every dispatch
   * (default: the event's wire name). A Redis key part: letters, digits and `_ . - /`, no `:`.
   */
  readonly stream?: string;
  /** Picks the partition (a string or number, hashed over the connection's `partitions`). */
  readonly key?: (event: E) => unknown;
  /**
   * Dispatched inside a transaction scope (`herald/pg`, `herald/kysely`, ...), the whole dispatch
   * is held until the outermost transaction commits and dropped on rollback; outside a
   * transaction it runs at once. Laravel's `ShouldDispatchAfterCommit`.
   */
  readonly afterCommit?: boolean;
}

const EVENT_OPTION_KEYS = ['stream', 'key', 'afterCommit'];

/** What `@Event` options add to the class's metadata. */
interface ReadEventOptions {
  readonly streaming: EventStreamMetadata | undefined;
  readonly afterCommit: boolean;
}

/**
 * Marks a class as an event. Its wire name (stored in queued jobs) defaults to the class name;
 * pass one to keep it stable when the class is renamed or minified.
 *
 * Decorating registers nothing by itself: an app knows an event once discovery or a listener
 * brings it in.
 *
 * @example
 * @Event('orders.shipped')
 * export class OrderShipped extends Dispatchable {
 *   constructor(readonly orderId: string) { super(); }
 * }
 *
 * @example
 * // On a streams connection: one log entry per dispatch, partitioned by order.
 * @Event<OrderPlaced>('orders.placed', { stream: 'orders', key: (e) => e.orderId })
 * export class OrderPlaced { constructor(readonly orderId: string) {} }
 */
export function Event<E = AnyEventFields>(
  name?: string,
  options?: EventOptions<E>,
): <T extends AnyClass>(target: T) => void {
  return (target) => {
    const file = callerFile();
    const { streaming, afterCommit } = readEventOptions(
      options,
      `@Event on class ${target.name}${file === undefined ? '' : ` (${file})`}`,
    );
    // The name is validated at boot, where the error can name the app's files too.
    defineWireMetadata(target, EVENT_METADATA, {
      name: name ?? target.name,
      file,
      ...(streaming === undefined ? {} : { streaming }),
      ...(afterCommit ? { afterCommit } : {}),
    });
    recordDecoration(target, file);
  };
}

/**
 * Checks `@Event` options where they are written: a bad stream name or key would otherwise only
 * fail at the first dispatch (test/unit/streams/streams-config.test.ts).
 */
function readEventOptions(options: unknown, owner: string): ReadEventOptions {
  if (options === undefined) return { streaming: undefined, afterCommit: false };
  const fail = (key: string, problem: string): never => {
    throw new HeraldError('config_invalid', `${owner}: option "${key}" ${problem}.`);
  };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new HeraldError(
      'config_invalid',
      `${owner}: event options must be an object like { stream: 'orders' }.`,
    );
  }
  const { stream, key, afterCommit } = options as Record<string, unknown>;
  for (const unknown of Object.keys(options)) {
    if (!EVENT_OPTION_KEYS.includes(unknown))
      fail(unknown, `is not an event option (known: ${EVENT_OPTION_KEYS.join(', ')}); check its spelling`);
  }
  if (stream !== undefined && (typeof stream !== 'string' || !STREAM_NAME_PATTERN.test(stream))) {
    fail(
      'stream',
      `must be a stream name of letters, digits and _ . - / with no ':' (it is part of a Redis key), got ${JSON.stringify(stream)}`,
    );
  }
  if (key !== undefined && typeof key !== 'function') {
    fail('key', 'must be a function from the event to its partition key, e.g. (e) => e.orderId');
  }
  if (afterCommit !== undefined && typeof afterCommit !== 'boolean') {
    fail('afterCommit', `must be true or false (got ${JSON.stringify(afterCommit) ?? typeof afterCommit})`);
  }
  // Only stream options make a streaming entry: `{ afterCommit: true }` alone must not turn the
  // event into one appended to a log.
  const onlyAfterCommit = afterCommit !== undefined && stream === undefined && key === undefined;
  const streaming = onlyAfterCommit
    ? undefined
    : { stream: stream as string | undefined, key: key as EventStreamMetadata['key'] };
  return { streaming, afterCommit: afterCommit === true };
}
