import type { RecordedDispatch } from '../events/dispatch-recorder.js';
import type { AnyClass } from '../metadata/class-types.js';

// What a fake records is what the dispatcher hands its recorder: plain data, defined beside the
// dispatcher so the core never imports herald/testing.
export type { RecordedDispatch, RecordedJob } from '../events/dispatch-recorder.js';

/** The recorded instances of an event class, optionally filtered. */
export function eventsOf<T extends AnyClass>(
  recorded: readonly RecordedDispatch[],
  event: T,
  predicate: ((event: InstanceType<T>) => boolean) | undefined,
): InstanceType<T>[] {
  return recorded
    .filter((entry) => entry.eventClass === event)
    .map((entry) => entry.event as InstanceType<T>)
    .filter((instance) => predicate === undefined || predicate(instance));
}
