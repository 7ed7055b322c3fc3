/**
 * herald/testing: fakes for apps that use herald. `herald.fake()` returns an {@link EventFake};
 * this entry point exports its type and helpers so tests can name them.
 */
export { EventFake } from './event-fake.js';
export type { FakeScope, ListenedEvent, ListenerClass, ListeningTarget } from './fake-types.js';
export type { RecordedDispatch, RecordedJob } from './recorded.js';
