import { HeraldError } from '../../errors.js';
import type { AnyClass } from '../../metadata/class-types.js';
import { eventMetadataOf } from '../../metadata/event-metadata.js';
import type { QueueConnections } from '../queue-connections.js';

/** Whether an event class names a stream (`@Event(name, { stream })`): every dispatch is appended. */
export function namesStream(eventClass: AnyClass): boolean {
  return eventMetadataOf(eventClass)?.streaming?.stream !== undefined;
}

/**
 * The connection an event with `stream` is appended to: `streams.default` from config, else the
 * only connection with driver `streams`, else — with none — the default connection when it is
 * `memory` (the in-process stand-in tests and the memory playground run on). Anything else is
 * `config_invalid`, naming the event and the fix
 * (test/integration/streams/streams-unheard.test.ts, test/unit/streams/memory-stand-in.test.ts).
 */
export function streamConnectionOf(connections: QueueConnections, eventName: string): string {
  const chosen = connections.streamsDefault;
  if (chosen !== undefined) return chosen;
  const streams = connections.names().filter((name) => connections.config(name)?.driver === 'streams');
  const [only] = streams;
  if (streams.length === 1 && only !== undefined) return only;
  const fallback = connections.defaultName;
  if (streams.length === 0 && connections.config(fallback)?.driver === 'memory') return fallback;
  throw new HeraldError(
    'config_invalid',
    streams.length === 0
      ? `The event "${eventName}" names a stream (@Event(name, { stream })), so every dispatch is appended to it, but no queue connection has driver 'streams' (and the default connection "${fallback}" is not 'memory', which could stand in): add one under queue.connections, e.g. log: { driver: 'streams', url: process.env.REDIS_URL }, or remove the event's stream option.`
      : `The event "${eventName}" names a stream (@Event(name, { stream })), but several queue connections have driver 'streams' (${streams.join(', ')}): choose one with streams: { default: '<name>' } in herald.config, keep one streams connection, or remove the event's stream option.`,
  );
}

/** Boot check: every registered event that names a stream has its one streams connection. */
export function checkStreamedEvents(
  eventClasses: readonly AnyClass[],
  connections: QueueConnections,
  wireNameOf: (eventClass: AnyClass) => string,
): void {
  for (const eventClass of eventClasses) {
    if (namesStream(eventClass)) streamConnectionOf(connections, wireNameOf(eventClass));
  }
}

/**
 * The streams the events that name one are appended to on `connection` (its workers keep them
 * within retention, read here or not).
 */
export function streamsAppendedOn(
  eventClasses: readonly AnyClass[],
  connections: QueueConnections,
  wireNameOf: (eventClass: AnyClass) => string,
  connection: string,
): string[] {
  const streams = new Set<string>();
  for (const eventClass of eventClasses) {
    const stream = eventMetadataOf(eventClass)?.streaming?.stream;
    if (stream !== undefined && streamConnectionOf(connections, wireNameOf(eventClass)) === connection)
      streams.add(stream);
  }
  return [...streams];
}
