import { HeraldError } from '../errors.js';
import type { AnyClass } from '../metadata/class-types.js';
import { allDecorations } from '../metadata/decoration-log.js';
import { eventMetadataOf, serializableMetadataOf, WIRE_NAME_PATTERN } from '../metadata/event-metadata.js';
import type { ClassResolver } from '../serialization/class-resolver.js';
import { loadedTwiceError, sameDeclaration } from './loaded-twice.js';

function fileLabel(file: string | undefined): string {
  return file ?? 'an unknown file';
}

/**
 * The events (and `@Serializable` classes) one app knows, by class and by wire name. It is also
 * the codec's class resolver: only classes known here are encoded or revived.
 */
export class EventRegistry implements ClassResolver {
  readonly #names = new Map<AnyClass, string>();
  readonly #classes = new Map<string, AnyClass>();

  /**
   * Registers an `@Event` class and returns its wire name. Throws `unknown_event` for an
   * undecorated class and `duplicate_name` when another class already holds the name.
   */
  registerEvent(target: AnyClass, usedBy?: string): string {
    const known = this.#names.get(target);
    if (known !== undefined) return known;
    const metadata = eventMetadataOf(target);
    if (metadata === undefined) {
      const name = typeof target === 'function' ? target.name || 'an anonymous class' : String(target);
      const where = usedBy === undefined ? '' : ` (used by ${usedBy})`;
      throw new HeraldError(
        'unknown_event',
        `${name} is not an event${where}: decorate the class with @Event() from 'herald'.`,
      );
    }
    this.#claim(target, metadata.name, metadata.file, 'event');
    return metadata.name;
  }

  /** Registers a `@Serializable` class so queued payloads may carry it. */
  registerSerializable(target: AnyClass): string {
    const known = this.#names.get(target);
    if (known !== undefined) return known;
    const metadata = serializableMetadataOf(target);
    if (metadata === undefined) {
      throw new HeraldError('not_serializable', `${target.name} is not decorated with @Serializable().`);
    }
    this.#claim(target, metadata.name, metadata.file, 'serializable class');
    return metadata.name;
  }

  #claim(target: AnyClass, name: string, file: string | undefined, what: string): void {
    if (typeof name !== 'string' || !WIRE_NAME_PATTERN.test(name)) {
      throw new HeraldError(
        'bad_name',
        `The ${what} ${target.name} (${fileLabel(file)}) has an invalid wire name ${JSON.stringify(name)}: use letters, digits and . _ - : /, starting with a letter.`,
      );
    }
    const holder = this.#classes.get(name);
    if (holder !== undefined && holder !== target) {
      const twice = sameDeclaration(holder, target);
      if (twice !== undefined) throw loadedTwiceError(twice, name);
      const holderFile = eventMetadataOf(holder)?.file ?? serializableMetadataOf(holder)?.file;
      throw new HeraldError(
        'duplicate_name',
        `Two classes claim the wire name "${name}": ${holder.name} (${fileLabel(holderFile)}) and ${target.name} (${fileLabel(file)}). Give one of them its own name, e.g. @Event('${name}.v2').`,
      );
    }
    this.#names.set(target, name);
    this.#classes.set(name, target);
  }

  /** The wire name of a registered class. */
  nameOf(target: Function): string | undefined {
    const known = this.#names.get(target as AnyClass);
    if (known !== undefined) return known;
    // A @Serializable or @Event class met for the first time inside a payload: learn it, so the
    // worker side (which discovers the same modules) can revive it.
    if (serializableMetadataOf(target) !== undefined) return this.registerSerializable(target as AnyClass);
    if (eventMetadataOf(target) !== undefined) return this.registerEvent(target as AnyClass);
    return undefined;
  }

  /** The class registered under a wire name. */
  classFor(name: string): AnyClass | undefined {
    const known = this.#classes.get(name);
    if (known !== undefined) return known;
    // A nested @Serializable class this app has not met yet, declared by a module loaded in this
    // process (the event's module imports it). Events are never revived this way: they must be
    // registered by discovery or config. Two classes claiming one name revive neither.
    const candidates = allDecorations().filter(({ target }) => serializableMetadataOf(target)?.name === name);
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (only === undefined) return undefined;
    this.registerSerializable(only.target);
    return only.target;
  }

  /** The registered event class of a wire name (no lookup beyond this app). */
  registeredEvent(name: string): AnyClass | undefined {
    const known = this.#classes.get(name);
    return known !== undefined && eventMetadataOf(known) !== undefined ? known : undefined;
  }

  /**
   * The wire name an event class has or would have, without registering it (for look-ups such
   * as `hasListeners`). Throws `unknown_event` for an undecorated class.
   */
  wireNameOf(target: AnyClass): string {
    const known = this.#names.get(target);
    if (known !== undefined) return known;
    const metadata = eventMetadataOf(target);
    if (metadata === undefined) return this.registerEvent(target);
    return metadata.name;
  }

  /** Whether a class is a registered event. */
  hasEvent(target: AnyClass): boolean {
    return this.#names.has(target) && eventMetadataOf(target) !== undefined;
  }

  /** Every registered event class, in registration order. */
  events(): AnyClass[] {
    return [...this.#names.keys()].filter((target) => eventMetadataOf(target) !== undefined);
  }
}
