import type { AnyClass } from '../metadata/class-types.js';

// The dispatcher decides what a fake takes over, so the scope is defined beside it.
export type { FakeScope } from '../events/dispatch-recorder.js';

/** The event type of a listener class: its `handle`'s first parameter. */
export type ListenedEvent<L> = L extends abstract new (
  // biome-ignore lint/suspicious/noExplicitAny: constructor parameters are irrelevant here.
  ...args: any[]
) => { handle(event: infer E, ...rest: never[]): unknown }
  ? E
  : never;

/** A listener class: what `assertQueued` and `queued` take (a class with a `handle` method). */
// biome-ignore lint/suspicious/noExplicitAny: any constructor parameters.
export type ListenerClass = abstract new (...args: any[]) => { handle(...args: never[]): unknown };

/** What `assertListening` takes as the listener: a class (listener or subscriber) or a closure. */
export type ListeningTarget = AnyClass | ((...args: never[]) => unknown);
