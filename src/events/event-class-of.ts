import { HeraldError } from '../errors.js';
import type { AnyClass } from '../metadata/class-types.js';
import { eventMetadataOf } from '../metadata/event-metadata.js';

/** The `@Event` class of a dispatched value; `unknown_event` for anything that is not an event. */
export function eventClassOf(event: unknown): AnyClass {
  if (typeof event !== 'object' || event === null) {
    throw new HeraldError(
      'unknown_event',
      `dispatch() takes an event instance, e.g. dispatch(new OrderShipped(...)); got ${event === null ? 'null' : typeof event}.`,
    );
  }
  const eventClass = (event as { constructor?: unknown }).constructor;
  if (eventMetadataOf(eventClass) === undefined) {
    const name =
      typeof eventClass === 'function' && eventClass.name !== '' ? eventClass.name : 'a plain object';
    throw new HeraldError(
      'unknown_event',
      `Cannot dispatch ${name}: it is not an event. Decorate its class with @Event() from 'herald'.`,
    );
  }
  return eventClass as AnyClass;
}
