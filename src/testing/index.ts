/**
 * herald/testing: fakes for apps that use herald. `herald.fake()` returns an {@link EventFake};
 * this entry point exports its type and helpers so tests can name them.
 */
export {
  EventFake,
  type FakeScope,
  type ListenedEvent,
  type ListenerClass,
  type ListeningTarget,
} from './event-fake.js';
export type { RecordedDispatch, RecordedJob } from './recorded.js';
