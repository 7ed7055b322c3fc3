import type { Container } from 'inversify';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import { containerFailed } from './container-failed.js';

/**
 * Builds listener instances through the app's container. Singleton-scoped listeners are
 * remembered per definition so the hot dispatch path skips the container's resolution work;
 * transient ones are built on every call, as their scope promises.
 */
export class ListenerInstances {
  readonly #container: Container;
  readonly #singletons = new Map<ListenerDefinition, object>();

  constructor(container: Container) {
    this.#container = container;
  }

  /**
   * The instance whose method handles the event. Every caller (sync dispatch, the queue bridge,
   * the job runner) builds through here, so a listener the container cannot build is always a
   * `container_failed` naming the listener and the fix (test/unit/boot/container-failed.test.ts).
   */
  instanceOf(definition: ListenerDefinition): object {
    const target = definition.target;
    if (target === undefined) throw new TypeError(`${definition.name} is a closure, not a class listener.`);
    if (definition.options.scope === 'transient') return this.#build(definition, target);
    let instance = this.#singletons.get(definition);
    if (instance === undefined) {
      instance = this.#build(definition, target);
      this.#singletons.set(definition, instance);
    }
    return instance;
  }

  #build(definition: ListenerDefinition, target: NonNullable<ListenerDefinition['target']>): object {
    try {
      return this.#container.get<object>(target);
    } catch (error) {
      throw containerFailed(definition, error);
    }
  }

  /** Forgets a cached instance (after `forget`, or when the container rebinds a listener). */
  evict(definition: ListenerDefinition): void {
    this.#singletons.delete(definition);
  }
}
