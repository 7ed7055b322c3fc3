import type { ListenerInstances } from '../container/listener-instances.js';
import { HeraldError } from '../errors.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import { type BackoffOption } from '../listeners/listener-options.js';
import { normalizeListenerOptions } from '../listeners/normalize-options.js';
import type { EncodedPayload } from '../serialization/encoded-payload.js';
import type { QueuedJob } from './job-options.js';
import { WIRE_FORMAT_VERSION } from './job-payload.js';
import type { QueueConnections } from './queue-connections.js';
import type { QueueDriver } from './queue-driver.js';

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

/** One dispatch's shared facts, computed once for all of its jobs. */
export interface DispatchFacts {
  readonly dispatchId: string;
  readonly dispatchedAt: string;
  readonly eventName: string;
  readonly payload: EncodedPayload;
}

/**
 * Turns (event, queued listener) into a job and pushes it to the listener's connection. The
 * listener's methods are read on the container-built instance, so they can use injected services.
 */
export class QueueBridge {
  readonly #instances: ListenerInstances;
  readonly #connections: QueueConnections;

  constructor(instances: ListenerInstances, connections: QueueConnections) {
    this.#instances = instances;
    this.#connections = connections;
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
    return { driver: this.#connections.driver(built.connection), job: built.job };
  }

  /** The job a listener would get for an event, or undefined when `shouldQueue` declines. */
  build(
    definition: ListenerDefinition,
    event: object,
    facts: DispatchFacts,
  ): { connection: string | undefined; job: QueuedJob } | undefined {
    const instance = this.#instances.instanceOf(definition) as QueuedListenerMethods;
    const label = `Queued listener ${definition.name}`;
    if (typeof instance.shouldQueue === 'function' && instance.shouldQueue(event) === false) return undefined;
    const options = definition.options;
    const queue = call(instance, 'viaQueue', event) ?? options.queue;
    const connection = call(instance, 'viaConnection', event) ?? options.connection;
    const delay = call(instance, 'withDelay', event) ?? options.delay;
    const backoff = typeof instance.backoff === 'function' ? instance.backoff(event) : options.backoff;
    const retryUntil = call(instance, 'retryUntil', event);
    const tags = call(instance, 'tags', event);
    // Re-validate what the methods returned with the same rules as the decorator's options.
    normalizeListenerOptions({ queue, connection, delay, backoff }, `${label} (values from its methods)`);
    if (retryUntil !== undefined && !(retryUntil instanceof Date && !Number.isNaN(retryUntil.getTime()))) {
      throw new HeraldError('config_invalid', `${label}: retryUntil(event) must return a valid Date.`);
    }
    if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string'))) {
      throw new HeraldError('config_invalid', `${label}: tags(event) must return an array of strings.`);
    }
    const uniqueId = options.unique === undefined ? undefined : options.unique.id(event);
    if (options.unique !== undefined && (typeof uniqueId !== 'string' || uniqueId === '')) {
      throw new HeraldError('config_invalid', `${label}: unique.id(event) must return a non-empty string.`);
    }
    return {
      connection: connection as string | undefined,
      job: {
        data: {
          v: WIRE_FORMAT_VERSION,
          dispatchId: facts.dispatchId,
          event: facts.eventName,
          listener: definition.name,
          payload: facts.payload,
          dispatchedAt: facts.dispatchedAt,
          meta: tags === undefined ? {} : { tags: tags as string[] },
        },
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
}

function call(instance: QueuedListenerMethods, method: keyof QueuedListenerMethods, event: object): unknown {
  const fn = instance[method];
  return typeof fn === 'function' ? fn.call(instance, event) : undefined;
}
