import { HeraldError } from '../errors.js';
import { describeListener, type ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import { loadedTwiceError, sameDeclaration } from './loaded-twice.js';
import { wildcardMatches } from './wildcard.js';

/** Listener definitions minus what the registry assigns. */
export type NewListener = Omit<ListenerDefinition, 'sequence'>;

/**
 * The listeners one app knows, in registration order, and the ordered plan of listeners per
 * event. Plans are cached and rebuilt after any change; a dispatch holds on to the plan it
 * started with, so adding or removing a listener mid-dispatch does not change that dispatch.
 */
export class ListenerRegistry {
  readonly #byName = new Map<string, ListenerDefinition>();
  #all: ListenerDefinition[] = [];
  #plans = new Map<AnyClass, readonly ListenerDefinition[]>();
  #nextSequence = 0;
  #version = 0;

  /** Bumps on every change, so callers may cache what they derive from plans. */
  get version(): number {
    return this.#version;
  }

  #changed(): void {
    this.#plans = new Map();
    this.#version++;
  }

  /** Adds a listener; throws `duplicate_name` when its wire name is taken by another. */
  add(listener: NewListener): ListenerDefinition {
    const holder = this.#byName.get(listener.name);
    if (holder !== undefined) {
      const twice =
        holder.target !== undefined && listener.target !== undefined
          ? sameDeclaration(holder.target, listener.target)
          : undefined;
      if (twice !== undefined) throw loadedTwiceError(twice);
      throw new HeraldError(
        'duplicate_name',
        `Two listeners claim the wire name "${listener.name}": ${describeListener(holder)} and ${describeListener(listener)}. Give one of them its own name with { name: '...' }.`,
      );
    }
    const definition: ListenerDefinition = { ...listener, sequence: this.#nextSequence++ };
    this.#byName.set(definition.name, definition);
    this.#all = [...this.#all, definition];
    this.#changed();
    return definition;
  }

  /** Removes listeners; returns how many were removed. */
  remove(predicate: (definition: ListenerDefinition) => boolean): number {
    const kept = this.#all.filter((definition) => !predicate(definition));
    const removed = this.#all.length - kept.length;
    if (removed === 0) return 0;
    for (const definition of this.#all) if (!kept.includes(definition)) this.#byName.delete(definition.name);
    this.#all = kept;
    this.#changed();
    return removed;
  }

  /**
   * Rewrites listeners in place (keeping their sequence): `change` returns the listener as it
   * should be, or undefined to drop it. Used by `forget`.
   */
  rewrite(change: (definition: ListenerDefinition) => ListenerDefinition | undefined): ListenerDefinition[] {
    const dropped: ListenerDefinition[] = [];
    const next: ListenerDefinition[] = [];
    for (const definition of this.#all) {
      const changed = change(definition);
      if (changed === definition) {
        next.push(definition);
        continue;
      }
      dropped.push(definition);
      this.#byName.delete(definition.name);
      if (changed !== undefined) {
        next.push(changed);
        this.#byName.set(changed.name, changed);
      }
    }
    if (dropped.length > 0) {
      this.#all = next;
      this.#changed();
    }
    return dropped;
  }

  /** The listener registered under a wire name. */
  byName(name: string): ListenerDefinition | undefined {
    return this.#byName.get(name);
  }

  /** Whether a class (listener or subscriber) is already registered. */
  hasClass(target: AnyClass): boolean {
    return this.#all.some((definition) => definition.target === target);
  }

  /** Every listener, in registration order. */
  all(): readonly ListenerDefinition[] {
    return this.#all;
  }

  /** The listeners of one event in run order: `order`, then registration order. */
  planFor(event: AnyClass, wireName: string): readonly ListenerDefinition[] {
    const cached = this.#plans.get(event);
    if (cached !== undefined) return cached;
    const plan = this.#all
      .filter(
        (definition) =>
          definition.events.includes(event) ||
          definition.patterns.some((pattern) => wildcardMatches(pattern, wireName)),
      )
      .sort((a, b) => a.options.order - b.options.order || a.sequence - b.sequence);
    this.#plans.set(event, plan);
    return plan;
  }

  /** Listeners of a wire name, matching patterns as well as classes registered under it. */
  planForName(wireName: string, eventClass: AnyClass | undefined): readonly ListenerDefinition[] {
    if (eventClass !== undefined) return this.planFor(eventClass, wireName);
    // Without a class only patterns can match (a class listener needs its event registered).
    return this.#all
      .filter((definition) => definition.patterns.some((pattern) => wildcardMatches(pattern, wireName)))
      .sort((a, b) => a.options.order - b.options.order || a.sequence - b.sequence);
  }
}
