import type { ListenerInstances } from '../../container/listener-instances.js';
import { HeraldError } from '../../errors.js';
import type { ListenerDefinition } from '../../listeners/listener-definition.js';
import { type BackoffOption } from '../../listeners/listener-options.js';
import { normalizeListenerOptions } from '../../listeners/normalize-options.js';
import type { AnyClass } from '../../metadata/class-types.js';
import { eventMetadataOf } from '../../metadata/event-metadata.js';
import type { QueueDriver } from '../driver.js';
import type { QueueConnections } from '../queue-connections.js';
import { checkTags } from './check-tags.js';
import type { DispatchFacts } from './dispatch-facts.js';
import { type JobMeta, type JobPayload, WIRE_FORMAT_VERSION } from './job-payload.js';
import type { OutboxSink } from './outbox-sink.js';
import { assertPayloadFits } from './payload-limit.js';
import type { JobOptions, JobStream, QueuedJob } from './queued-job.js';
import { namesStream, streamConnectionOf } from './stream-connection.js';

/** Where a dispatch appends its event, and the listeners left to run or push (streamPlan). */
export interface StreamPlan {
  /** The connections the dispatch appends the event to itself, once each. */
  readonly appendTo: readonly string[];
  /** The plan without the listeners that read those appends. */
  readonly listeners: readonly ListenerDefinition[];
}

/** Shared by every job without tags: nothing writes to a job's meta. */
const EMPTY_META: JobMeta = Object.freeze({});

/** The options of an append with no listener behind it: a log entry has no queue options. */
const APPEND_OPTIONS: JobOptions = Object.freeze({
  queue: undefined,
  delay: 0,
  tries: 1,
  backoff: undefined,
  timeout: undefined,
  priority: undefined,
  retryUntil: undefined,
  unique: undefined,
});

/** The optional methods a queued listener may define, read at dispatch (Laravel's names). */
interface QueuedListenerMethods {
  shouldQueue?(event: object): unknown;
  viaQueue?(event: object): unknown;
  viaConnection?(event: object): unknown;
  withDelay?(event: object): unknown;
  backoff?(event: object): unknown;
  retryUntil?(event: object): unknown;
  tags?(event: object): unknown;
}

/**
 * Turns (event, queued listener) into a job and pushes it to the listener's connection. The
 * listener's methods are read on the container-built instance, so they can use injected services.
 */
export class QueueBridge {
  readonly #instances: ListenerInstances;
  readonly #connections: QueueConnections;
  readonly #staticOptions = new WeakMap<ListenerDefinition, JobOptions>();
  readonly #streams = new WeakMap<DispatchFacts, JobStream>();
  /** The app's outbox, when configured: pushes inside a transaction go there (outbox-sink.ts). */
  readonly outbox: OutboxSink | undefined;

  constructor(instances: ListenerInstances, connections: QueueConnections, outbox?: OutboxSink) {
    this.#instances = instances;
    this.#connections = connections;
    this.outbox = outbox;
  }

  /** The driver a connection is configured with (`bullmq`, `streams`, ...), for tracing. */
  driverKind(connection: string): string {
    return this.#connections.config(connection)?.driver ?? 'unknown';
  }

  /**
   * The job for (listener, event) and the driver it goes to, or undefined when `shouldQueue`
   * declines. Synchronous, so a bad method result fails the dispatch before anything is pushed.
   */
  prepare(
    definition: ListenerDefinition,
    event: object,
    facts: DispatchFacts,
  ): { driver: QueueDriver; job: QueuedJob } | undefined {
    const built = this.build(definition, event, facts);
    if (built === undefined) return undefined;
    const driver = this.#connections.driver(built.connection);
    assertPayloadFits(facts, driver.connection, this.#connections.config(driver.connection));
    return { driver, job: built.job };
  }

  /**
   * How a dispatch of an event reaches the logs. The dispatch itself appends the event once to
   * each `streams` connection that takes it (the one its `stream` option names, and those its
   * queued listeners read), whatever its listeners do: a sync listener returning `false` stops
   * listeners, not the fact that the event happened. The listeners of those connections push
   * nothing (their groups read that one entry), so one append serves any number of them. On a
   * `memory` stand-in the listeners' jobs are the delivery, so the dispatch appends there only
   * when none of them is on it. Throws `config_invalid` when no connection can take the stream
   * (test/integration/streams/streams-unheard.test.ts).
   */
  streamPlan(eventClass: AnyClass, eventName: string, plan: readonly ListenerDefinition[]): StreamPlan {
    const defaultName = this.#connections.defaultName;
    const connectionOf = (definition: ListenerDefinition) => definition.options.connection ?? defaultName;
    const isLog = (name: string) => this.#connections.config(name)?.driver === 'streams';
    const logs = new Set<string>();
    for (const definition of plan)
      if (definition.options.queued && isLog(connectionOf(definition))) logs.add(connectionOf(definition));
    const appendTo = [...logs];
    if (namesStream(eventClass)) {
      const connection = streamConnectionOf(this.#connections, eventName);
      const heard = plan.some(
        (definition) => definition.options.queued && connectionOf(definition) === connection,
      );
      if (!logs.has(connection) && (isLog(connection) || !heard)) appendTo.push(connection);
    }
    if (logs.size === 0) return { appendTo, listeners: plan };
    const listeners = plan.filter(
      (definition) => !(definition.options.queued && logs.has(connectionOf(definition))),
    );
    return { appendTo, listeners };
  }

  /**
   * The append of an event that names a stream, made by the dispatch itself ({@link streamPlan}):
   * the job wire format without a listener (a log entry names none).
   */
  prepareAppend(
    event: object,
    facts: DispatchFacts,
    connection: string,
  ): { driver: QueueDriver; job: QueuedJob } {
    const driver = this.#connections.driver(connection);
    assertPayloadFits(facts, driver.connection, this.#connections.config(driver.connection));
    const data: JobPayload = {
      v: WIRE_FORMAT_VERSION,
      dispatchId: facts.dispatchId,
      event: facts.eventName,
      listener: '',
      payload: facts.payload,
      dispatchedAt: facts.dispatchedAt,
      meta: EMPTY_META,
    };
    return { driver, job: { data, options: APPEND_OPTIONS, stream: this.#streamOf(event, facts) } };
  }

  /** The job a listener would get for an event, or undefined when `shouldQueue` declines. */
  build(
    definition: ListenerDefinition,
    event: object,
    facts: DispatchFacts,
  ): { connection: string | undefined; job: QueuedJob } | undefined {
    const instance = this.#instances.instanceOf(definition) as QueuedListenerMethods;
    if (typeof instance.shouldQueue === 'function' && instance.shouldQueue(event) === false) return undefined;
    const options = definition.options;
    const viaQueue = call(instance, 'viaQueue', event);
    const viaConnection = call(instance, 'viaConnection', event);
    const withDelay = call(instance, 'withDelay', event);
    const hasBackoffMethod = typeof instance.backoff === 'function';
    const retryUntil = call(instance, 'retryUntil', event);
    const tags = call(instance, 'tags', event);
    const data: JobPayload = {
      v: WIRE_FORMAT_VERSION,
      dispatchId: facts.dispatchId,
      event: facts.eventName,
      listener: definition.name,
      payload: facts.payload,
      dispatchedAt: facts.dispatchedAt,
      meta: tags === undefined ? EMPTY_META : { tags: checkTags(tags, definition) },
    };
    // Most listeners define none of the methods: their options were validated at boot and are
    // the same for every job, so one frozen object serves them all (this is the dispatch hot path).
    if (
      viaQueue === undefined &&
      viaConnection === undefined &&
      withDelay === undefined &&
      !hasBackoffMethod &&
      retryUntil === undefined &&
      options.unique === undefined
    ) {
      const stream = this.#streamOf(event, facts);
      const staticOptions = this.#staticOptionsOf(definition);
      const job: QueuedJob =
        stream === undefined ? { data, options: staticOptions } : { data, options: staticOptions, stream };
      return {
        connection: options.connection,
        job: options.ordered === true ? { ...job, ordered: true } : job,
      };
    }
    const queue = viaQueue ?? options.queue;
    const connection = viaConnection ?? options.connection;
    const delay = withDelay ?? options.delay;
    const backoff = hasBackoffMethod ? instance.backoff?.(event) : options.backoff;
    // Re-validate what the methods returned with the same rules as the decorator's options; a bad
    // value here came at run time, so it is invalid_argument, not config_invalid
    // (test/unit/dispatch/method-results.test.ts).
    try {
      normalizeListenerOptions(
        { queue, connection, delay, backoff },
        `Queued listener ${definition.name} (values from its methods)`,
      );
    } catch (error) {
      throw HeraldError.is(error, 'config_invalid')
        ? new HeraldError('invalid_argument', error.message)
        : error;
    }
    if (retryUntil !== undefined && !(retryUntil instanceof Date && !Number.isNaN(retryUntil.getTime()))) {
      throw new HeraldError(
        'invalid_argument',
        `Queued listener ${definition.name}: retryUntil(event) must return a valid Date.`,
      );
    }
    const uniqueId = options.unique === undefined ? undefined : options.unique.id(event);
    if (options.unique !== undefined && (typeof uniqueId !== 'string' || uniqueId === '')) {
      throw new HeraldError(
        'invalid_argument',
        `Queued listener ${definition.name}: unique.id(event) must return a non-empty string.`,
      );
    }
    const stream = this.#streamOf(event, facts);
    return {
      connection: connection as string | undefined,
      job: {
        ...(stream === undefined ? {} : { stream }),
        ...(options.ordered === true ? { ordered: true as const } : {}),
        data,
        options: {
          queue: queue as string | undefined,
          delay: delay as number,
          tries: options.tries,
          backoff: backoff as BackoffOption | undefined,
          timeout: options.timeout,
          priority: options.priority,
          retryUntil: retryUntil === undefined ? undefined : (retryUntil as Date).getTime(),
          unique:
            uniqueId === undefined
              ? undefined
              : { id: `${definition.name}:${uniqueId}`, ttl: options.unique?.ttl },
        },
      },
    };
  }

  /**
   * The stream options of an event whose class declares them, `key(event)` called once per
   * dispatch however many listeners get a job (the same object for all of them).
   */
  #streamOf(event: object, facts: DispatchFacts): JobStream | undefined {
    const streaming = eventMetadataOf(event.constructor)?.streaming;
    if (streaming === undefined) return undefined;
    let stream = this.#streams.get(facts);
    if (stream === undefined) {
      let key: string | undefined;
      if (streaming.key !== undefined) {
        const value = (streaming.key as (event: object) => unknown)(event);
        if (
          !(
            (typeof value === 'string' && value !== '') ||
            (typeof value === 'number' && Number.isFinite(value))
          )
        ) {
          throw new HeraldError(
            'invalid_argument',
            `The ${facts.eventName} event's key(event) must return a non-empty string or a finite number (got ${typeof value}).`,
          );
        }
        key = String(value);
      }
      stream = { name: streaming.stream, key };
      this.#streams.set(facts, stream);
    }
    return stream;
  }

  #staticOptionsOf(definition: ListenerDefinition): JobOptions {
    let options = this.#staticOptions.get(definition);
    if (options === undefined) {
      const from = definition.options;
      options = Object.freeze({
        queue: from.queue,
        delay: from.delay,
        tries: from.tries,
        backoff: from.backoff,
        timeout: from.timeout,
        priority: from.priority,
        retryUntil: undefined,
        unique: undefined,
      });
      this.#staticOptions.set(definition, options);
    }
    return options;
  }
}

function call(instance: QueuedListenerMethods, method: keyof QueuedListenerMethods, event: object): unknown {
  const fn = instance[method];
  return typeof fn === 'function' ? fn.call(instance, event) : undefined;
}
