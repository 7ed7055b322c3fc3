import type { Container } from 'inversify';
import type { ListenerDefinition } from '../listeners/listener-definition.js';

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

  /** The instance whose method handles the event. */
  instanceOf(definition: ListenerDefinition): object {
    const target = definition.target;
    if (target === undefined) throw new TypeError(`${definition.name} is a closure, not a class listener.`);
    if (definition.options.scope === 'transient') return this.#container.get<object>(target);
    let instance = this.#singletons.get(definition);
    if (instance === undefined) {
      instance = this.#container.get<object>(target);
      this.#singletons.set(definition, instance);
    }
    return instance;
  }

  /** Forgets a cached instance (after `forget`, or when the container rebinds a listener). */
  evict(definition: ListenerDefinition): void {
    this.#singletons.delete(definition);
  }
}
