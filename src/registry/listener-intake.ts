import type { Container } from 'inversify';
import { bindListener } from '../container/bind-listener.js';
import type { ListenerInstances } from '../container/listener-instances.js';
import { HeraldError } from '../errors.js';
import { isListenerLike } from '../listeners/decorator-declarations.js';
import { splitArguments } from '../listeners/listener-decorator.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { ListenerFunction } from '../listeners/listener-options.js';
import { normalizeListenerOptions } from '../listeners/normalize-options.js';
import {
  type ResolvedListener,
  resolveListenerClass,
  splitTargetList,
} from '../listeners/resolve-listener-class.js';
import type { AnyClass, ConcreteClass } from '../metadata/class-types.js';
import { decorationOf } from '../metadata/decoration-log.js';
import type { EventRegistry } from './event-registry.js';
import type { ListenerRegistry } from './listener-registry.js';

type Target = AnyClass | readonly AnyClass[] | string;

/**
 * The way listeners come into one app: resolves their declarations, registers the events they
 * name, binds classes in the container, then adds them to the {@link ListenerRegistry} (which
 * stores them and orders them per event, nothing more); `forget` takes them out again. Boot
 * (discovery, `listeners` in config) and `listen()` both come through here, so both get the
 * same checks.
 */
export class ListenerIntake {
  readonly #events: EventRegistry;
  readonly #listeners: ListenerRegistry;
  readonly #instances: ListenerInstances;
  readonly #container: Container;
  #closures = 0;

  constructor(
    events: EventRegistry,
    listeners: ListenerRegistry,
    instances: ListenerInstances,
    container: Container,
  ) {
    this.#events = events;
    this.#listeners = listeners;
    this.#instances = instances;
    this.#container = container;
  }

  /** Registers a decorated listener or subscriber class once (later calls are no-ops). */
  registerClass(target: AnyClass): ListenerDefinition[] {
    if (this.#listeners.hasClass(target)) return [];
    return this.#add(resolveListenerClass(target));
  }

  /** `listen(target, classOrClosure, options)`: returns the definitions it added. */
  listen(
    target: Target,
    listener: AnyClass | ListenerFunction<object>,
    options: unknown,
  ): ListenerDefinition[] {
    const { targets } = splitArguments(target, undefined);
    if (targets === 'infer') {
      throw new HeraldError(
        'config_invalid',
        'listen() needs an event class, an array of them, or a wire-name pattern first.',
      );
    }
    if (isClass(listener)) {
      const owner = `Listener ${listener.name} (given to listen())`;
      const resolved: ResolvedListener[] = isListenerLike(listener)
        ? resolveListenerClass(listener, options).map((entry) => ({ ...entry, events: [], patterns: [] }))
        : [this.#plainClass(listener, options, owner)];
      const split = splitTargetList(targets, owner);
      const withTargets = resolved.map((entry) => ({ ...entry, ...split }));
      // listen() may add a class that discovery registered too, under another event: give the
      // new registration its own wire name only when the user did not choose one. A name passed
      // to listen() is kept, so a clash is a duplicate_name error, not a silent
      // `Name#2` (a queued job stores that name; the worker must find the same one).
      const chosen =
        typeof options === 'object' && options !== null && (options as { name?: unknown }).name !== undefined;
      if (chosen) {
        // Check before adding anything: a subscriber's methods would all get this one name, and
        // failing on the second would leave the first registered.
        const names = withTargets.map((entry) => entry.name);
        const clash = names.find(
          (name, index) => names.indexOf(name) !== index || this.#listeners.byName(name) !== undefined,
        );
        if (clash !== undefined) {
          throw new HeraldError(
            'duplicate_name',
            `${owner}: the listener name "${clash}" is already taken (or given to several methods): pass another { name }, or none to let herald pick one.`,
          );
        }
      }
      return this.#add(
        withTargets.map((entry) =>
          !chosen && this.#listeners.byName(entry.name) ? this.#renamed(entry) : entry,
        ),
      );
    }
    if (typeof listener !== 'function') {
      throw new HeraldError(
        'config_invalid',
        `listen() takes a listener class or a function as its second argument, got ${typeof listener}.`,
      );
    }
    const name = `closure#${++this.#closures}`;
    const normalized = normalizeListenerOptions(options, `Closure listener ${name}`);
    if (normalized.queued) {
      throw new HeraldError(
        'config_invalid',
        'A closure cannot be a queued listener: a worker could not find it. Write a listener class with { queue } instead.',
      );
    }
    const split = splitTargetList(targets, `Closure listener ${name}`);
    this.#registerEvents(split.events, name);
    return [
      this.#listeners.add({
        name: normalized.name ?? name,
        target: undefined,
        method: 'handle',
        fn: listener as ListenerFunction<object>,
        ...split,
        options: normalized,
        file: undefined,
      }),
    ];
  }

  #renamed(entry: ResolvedListener): ResolvedListener {
    let index = 2;
    while (this.#listeners.byName(`${entry.name}#${index}`) !== undefined) index++;
    return { ...entry, name: `${entry.name}#${index}` };
  }

  #plainClass(target: ConcreteClass, options: unknown, owner: string): ResolvedListener {
    if (typeof (target.prototype as Record<string, unknown>).handle !== 'function') {
      throw new HeraldError(
        'config_invalid',
        `${owner} has no handle() method: add handle(event) to the class.`,
      );
    }
    const normalized = normalizeListenerOptions(options, owner);
    return {
      name: normalized.name ?? target.name,
      target,
      method: 'handle',
      events: [],
      patterns: [],
      options: normalized,
      file: decorationOf(target)?.file,
    };
  }

  #add(resolved: readonly ResolvedListener[]): ListenerDefinition[] {
    const added: ListenerDefinition[] = [];
    for (const entry of resolved) {
      this.#registerEvents(entry.events, `${entry.name} (${entry.file ?? 'unknown file'})`);
      bindListener(this.#container, entry.target, entry.options.scope);
      added.push(this.#listeners.add({ ...entry, fn: undefined }));
    }
    return added;
  }

  #registerEvents(events: readonly AnyClass[], usedBy: string): void {
    for (const event of events) this.#events.registerEvent(event, usedBy);
  }

  /** Removes what listens to an event class or wire name; see `EventDispatcher.forget`. */
  forget(target: AnyClass | string): void {
    const dropped = this.#listeners.rewrite((definition) => {
      const events = definition.events.filter(
        (event) => event !== target && (typeof target !== 'string' || this.#events.nameOf(event) !== target),
      );
      const patterns = definition.patterns.filter((pattern) => pattern !== target);
      if (events.length === definition.events.length && patterns.length === definition.patterns.length)
        return definition;
      if (events.length === 0 && patterns.length === 0) return undefined;
      return { ...definition, events, patterns };
    });
    for (const definition of dropped) this.#instances.evict(definition);
  }
}

function isClass(value: unknown): value is ConcreteClass {
  return typeof value === 'function' && /^class[\s{]/.test(Function.prototype.toString.call(value));
}
