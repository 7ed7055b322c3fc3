import { describe, expect, it } from 'vitest';
import { EventDispatcher } from '../../../src/index.js';
import { EventFake } from '../../../src/testing/index.js';

/** The methods a class's instances have, as a user sees them (own prototype, not Object's). */
function methodsOf(target: { readonly prototype: object }): string[] {
  return Object.getOwnPropertyNames(target.prototype)
    .filter((name) => name !== 'constructor')
    .sort();
}

// The app wires a dispatcher and a fake through functions herald does not export
// (src/events/event-dispatcher.ts, src/testing/event-fake.ts): what users can call is what
// API.md documents, and nothing else.
describe('the injected dispatcher and the fake expose only their documented API', () => {
  it('EventDispatcher - has exactly the methods API.md lists (no attach, detach or interceptor)', () => {
    expect(methodsOf(EventDispatcher)).toEqual(
      [
        'dispatch',
        'dispatchIf',
        'dispatchUnless',
        'until',
        'listen',
        'hasListeners',
        'getListeners',
        'forget',
      ].sort(),
    );
  });

  it('EventFake - has exactly the documented assertions, look-ups (streams included), runQueued, restore and active', () => {
    expect(methodsOf(EventFake)).toEqual(
      [
        'assertDispatched',
        'assertDispatchedTimes',
        'assertNotDispatched',
        'assertNothingDispatched',
        'assertListening',
        'assertQueued',
        'assertNotQueued',
        'assertStreamed',
        'dispatched',
        'queued',
        'streamed',
        'runQueued',
        'restore',
        'active',
      ].sort(),
    );
  });
});
