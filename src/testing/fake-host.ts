import type { DispatchRecorder } from '../events/dispatch-recorder.js';
import type { ListenerInfo } from '../events/event-dispatcher.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import type { JobRunner } from '../queue/runner/job-runner.js';

/**
 * What a fake asks of the app that made it (src/app.ts wires it). Recording goes one way
 * only: the dispatcher decides what is faked and hands each faked dispatch to the fake's
 * recorder; everything else here is for assertions and `runQueued()`.
 */
export interface FakeHost {
  /** Hands the app's faked dispatches to `recorder` from now on, replacing any earlier one. */
  readonly record: (recorder: DispatchRecorder) => void;
  /** Stops handing dispatches to `recorder`, unless a newer recorder replaced it. */
  readonly stopRecording: (recorder: DispatchRecorder) => void;
  /** The listeners of an event, as `herald.getListeners()` reports them. */
  readonly getListeners: (target: AnyClass | string) => readonly ListenerInfo[];
  /** Every listener the app registered, to say why a listener has no recorded job. */
  readonly listeners: () => readonly ListenerDefinition[];
  /** The app's job runner: `runQueued()` runs recorded jobs through it. */
  readonly runner: JobRunner;
}
