import type { EventDispatcher } from './event-dispatcher.js';

// The dispatcher of the most recently booted app, for `OrderShipped.dispatch(...)`. Static
// dispatch has no other way to find an app; apps that need isolation call herald.dispatch.
let current: EventDispatcher | undefined;

/** Makes `dispatcher` the target of static `Event.dispatch(...)` calls. */
export function setCurrentDispatcher(dispatcher: EventDispatcher): void {
  current = dispatcher;
}

/** Clears the static-dispatch target when its app closes. */
export function clearCurrentDispatcher(dispatcher: EventDispatcher): void {
  if (current === dispatcher) current = undefined;
}

/** The static-dispatch target, if an app is booted. */
export function currentDispatcher(): EventDispatcher | undefined {
  return current;
}
