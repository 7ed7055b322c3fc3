import type { AnyClass } from '../metadata/class-types.js';
import { eventMetadataOf } from '../metadata/event-metadata.js';
import { nameOf, plural } from './describe-recorded.js';
import type { RecordedDispatch } from './recorded.js';

/** One faked dispatch of an event that names a stream: what dispatch would have appended. */
export interface RecordedAppend extends RecordedDispatch {
  /** The stream it would have been appended to (`@Event(name, { stream })`). */
  readonly stream: string;
}

/** The append a faked dispatch stands for, or undefined when its event names no stream. */
export function appendOf(dispatch: RecordedDispatch): RecordedAppend | undefined {
  const stream = eventMetadataOf(dispatch.eventClass)?.streaming?.stream;
  return stream === undefined ? undefined : { ...dispatch, stream };
}

/**
 * Why `assertStreamed` failed: the event names no stream, was not streamed, or none of its
 * `all` appends matched the predicate; then what was streamed.
 */
export function notStreamedMessage(
  event: AnyClass,
  all: number,
  withPredicate: boolean,
  appends: readonly RecordedAppend[],
): string {
  const why =
    eventMetadataOf(event)?.streaming?.stream === undefined
      ? `${nameOf(event)} names no stream, so a dispatch never appends it by itself: give it @Event(name, { stream }), or use assertQueued for a listener that reads it from a streams connection.`
      : all === 0
        ? `Expected ${nameOf(event)} to be streamed${withPredicate ? ' matching the predicate' : ''}, but it was not.`
        : `Expected ${nameOf(event)} to be streamed matching the predicate, but none of its ${plural(all, 'append')} matched.`;
  return `${why} ${describeStreamed(appends)}`;
}

/** "Streamed: orders ← OrderPlaced ×2." (or "Nothing was streamed."). */
export function describeStreamed(appends: readonly RecordedAppend[]): string {
  if (appends.length === 0) return 'Nothing was streamed.';
  const counts = new Map<string, number>();
  for (const { stream, eventClass, eventName } of appends) {
    const label = `${stream} ← ${eventClass.name || eventName}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return `Streamed: ${[...counts].map(([label, count]) => `${label} ×${count}`).join(', ')}.`;
}
