import { invokeListener, isThenable } from '../../container/invoke-listener.js';
import type { ListenerInstances } from '../../container/listener-instances.js';
import { HeraldError } from '../../errors.js';
import type { ListenerDefinition } from '../../listeners/listener-definition.js';
import type { EventRegistry } from '../../registry/event-registry.js';
import type { ListenerRegistry } from '../../registry/listener-registry.js';
import { decodePayload } from '../../serialization/decode-payload.js';
import { activeTracing } from '../../telemetry/otel-switch.js';
import type { JobPayload } from '../job/job-payload.js';
import { readJobPayload } from '../job/read-job-payload.js';
import type { AttemptInfo, AttemptResult } from './attempt.js';
import { AttemptContext } from './attempt-context.js';
import { hasAttemptsLeft, refusalAtPickUp } from './attempt-limits.js';
import { runWithTimeout } from './attempt-timeout.js';
import { backoffDelay } from './backoff.js';
import { LazyAbort } from './lazy-abort.js';

/** What the runner needs from the app. */
export interface JobRunnerDeps {
  readonly events: EventRegistry;
  readonly listeners: ListenerRegistry;
  readonly instances: ListenerInstances;
}

const COMPLETED: AttemptResult = Object.freeze({ status: 'completed' });

/** A job's data read and decoded: the listener to run and its event. */
interface ReadJob {
  readonly definition: ListenerDefinition;
  readonly event: object;
  readonly data: JobPayload;
}

/**
 * Runs one attempt of a queued job for every driver: decode → container → `handle(event, ctx)`,
 * then decides completed / retry / failed, calling the listener's `failed()` exactly once when
 * the job is out of attempts. Drivers only move jobs and wait the delays it returns.
 */
export class JobRunner {
  readonly #deps: JobRunnerDeps;
  readonly #system: string;

  /** `system`: the `messaging.system` of the connection whose jobs it runs, for tracing. */
  constructor(deps: JobRunnerDeps, system = 'herald') {
    this.#deps = deps;
    this.#system = system;
  }

  /** The same runner for a connection's driver: its `process` spans name that `messaging.system`. */
  forSystem(system: string): JobRunner {
    return new JobRunner(this.#deps, system);
  }

  /**
   * Runs one attempt of a job whose raw data came off a queue. Never throws. Not `async`: an
   * async function returning another promise costs extra microtask turns on every job.
   */
  run(rawData: unknown, info: AttemptInfo): Promise<AttemptResult> {
    let job: ReadJob;
    try {
      job = this.#read(rawData);
    } catch (error) {
      // Bad data will not improve with retries: fail at once, with no event to hand to failed().
      return Promise.resolve({ status: 'failed', error: asError(error) });
    }
    const tracing = activeTracing();
    if (tracing === undefined) return this.#start(job, info);
    const { data } = job;
    const target = {
      system: this.#system,
      destination: info.queue,
      event: data.event,
      listener: data.listener,
      dispatchId: data.dispatchId,
      messageId: info.jobId,
      attempt: info.attempt,
      traceparent: data.meta?.traceparent,
    };
    return tracing.process(target, () => this.#start(job, info));
  }

  #start(job: ReadJob, info: AttemptInfo): Promise<AttemptResult> {
    const refusal = refusalAtPickUp(info, job.definition.name);
    if (refusal !== undefined) return this.#fail(job.definition, job.event, refusal);
    return this.#attempt(job.definition, job.event, info);
  }

  /**
   * Ends a job without an attempt, running `failed()` once when its data can be read (a driver
   * whose queue failed the job on its own, e.g. BullMQ's stall limit). Never throws.
   */
  giveUp(rawData: unknown, error: Error): Promise<AttemptResult> {
    let job: ReadJob;
    try {
      job = this.#read(rawData);
    } catch {
      return Promise.resolve({ status: 'failed', error });
    }
    return this.#fail(job.definition, job.event, error);
  }

  /** The listener and decoded event of raw job data; throws a HeraldError on bad data. */
  #read(rawData: unknown): ReadJob {
    const data = readJobPayload(rawData);
    const definition = this.#deps.listeners.byName(data.listener);
    if (definition === undefined || definition.target === undefined) {
      throw new HeraldError(
        'unknown_listener',
        `No listener named "${data.listener}" is registered in this worker (event "${data.event}"): deploy the same listeners to the worker as to the app, then retry the job.`,
      );
    }
    return { definition, event: this.#decodeEvent(data.payload, data.event), data };
  }

  #decodeEvent(payload: unknown, eventName: string): object {
    const eventClass = this.#deps.events.classFor(eventName);
    if (eventClass === undefined) {
      throw new HeraldError(
        'bad_payload',
        `The job's event "${eventName}" is not known to this worker: a deploy may be out of date; deploy the event class, then retry the job.`,
      );
    }
    const event = decodePayload(payload, this.#deps.events.payloadClasses);
    if (typeof event !== 'object' || event === null || !(event instanceof eventClass)) {
      throw new HeraldError('bad_payload', `The job's payload is not a ${eventName} event.`);
    }
    return event;
  }

  async #attempt(definition: ListenerDefinition, event: object, info: AttemptInfo): Promise<AttemptResult> {
    const abort = new LazyAbort(info.shutdownSignal);
    const { options } = info;
    const ctx = new AttemptContext(
      info.attempt,
      // When retryUntil replaces tries (memory, bullmq), no count bounds the attempts: Infinity.
      // Reporting `tries` told memory listeners "attempt 5 of 1", while bullmq passed BullMQ's
      // stored attempts (Number.MAX_SAFE_INTEGER): one listener saw two answers.
      options.retryUntil !== undefined && info.triesBoundRetryUntil !== true
        ? Number.POSITIVE_INFINITY
        : options.tries,
      info.jobId,
      info.queue,
      this.#deps.events.nameOf(event.constructor) ?? definition.name,
      abort,
    );
    let error: Error | undefined;
    try {
      const { instances } = this.#deps;
      if (options.timeout === undefined) {
        // No wrapper frame, and no await for a handler that returned no promise.
        const returned = invokeListener(definition, instances, event, ctx);
        if (isThenable(returned)) await returned;
      } else {
        await runWithTimeout(
          () => invokeListener(definition, instances, event, ctx),
          options.timeout,
          abort,
          definition.name,
          info.overrun,
        );
      }
    } catch (caught) {
      error = asError(caught);
    } finally {
      abort.dispose();
    }
    if (ctx.failedWith !== undefined) return this.#fail(definition, event, ctx.failedWith);
    if (error === undefined && ctx.released === undefined) return COMPLETED;
    const reason = error ?? new HeraldError('job_failed', `${definition.name} released the job.`);
    const delay = ctx.released ?? backoffDelay(options.backoff, info.attempt);
    if (!hasAttemptsLeft(info, delay)) return this.#fail(definition, event, reason);
    return { status: 'retry', delay, error: reason };
  }

  async #fail(definition: ListenerDefinition, event: object, error: Error): Promise<AttemptResult> {
    try {
      const instance = this.#deps.instances.instanceOf(definition) as {
        failed?: (e: object, err: Error) => unknown;
      };
      if (typeof instance.failed === 'function') await instance.failed(event, error);
    } catch (hookError) {
      // The job has failed either way; keep the original error and note the hook's.
      const wrapped = new HeraldError(
        'job_failed',
        `${definition.name} failed (${error.message}) and its failed() hook threw too: ${asError(hookError).message}`,
        { cause: error },
      );
      return { status: 'failed', error: wrapped };
    }
    return { status: 'failed', error };
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
