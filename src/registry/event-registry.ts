import { HeraldError } from '../errors.js';
import type { AnyClass } from '../metadata/class-types.js';
import { allDecorations } from '../metadata/decoration-log.js';
import { eventMetadataOf, serializableMetadataOf, WIRE_NAME_PATTERN } from '../metadata/event-metadata.js';
import type { ClassResolver } from '../serialization/class-resolver.js';
import { loadedTwiceError, sameDeclaration } from './loaded-twice.js';

function fileLabel(file: string | undefined): string {
  return file ?? 'an unknown file';
}

function notAnEvent(target: unknown, usedBy?: string): HeraldError {
  const name = typeof target === 'function' ? target.name || 'an anonymous class' : String(target);
  const where = usedBy === undefined ? '' : ` (used by ${usedBy})`;
  return new HeraldError(
    'unknown_event',
    `${name} is not an event${where}: decorate the class with @Event() from 'herald'.`,
  );
}

/**
 * The events (and `@Serializable` classes) one app knows, by class and by wire name. Look-ups
 * (`nameOf`, `classFor`, `wireNameOf`, `registeredEvent`) never register: only the `register*`
 * and `learn*` methods do. As a {@link ClassResolver} it is strict (only classes registered here
 * are encoded or revived); {@link EventRegistry.payloadClasses} is the resolver that learns.
 */
export class EventRegistry implements ClassResolver {
  readonly #names = new Map<AnyClass, string>();
  readonly #classes = new Map<string, AnyClass>();

  /**
   * The codec's resolver for this app: like the registry's look-ups, except that a decorated
   * class met for the first time in a payload is learned ({@link EventRegistry.learnClass},
   * {@link EventRegistry.learnClassNamed}), so a nested `@Serializable` class needs no
   * registration of its own. Dispatch encodes and the job runner decodes through it.
   */
  readonly payloadClasses: ClassResolver = {
    nameOf: (target) => this.#names.get(target as AnyClass) ?? this.learnClass(target),
    classFor: (name) => this.#classes.get(name) ?? this.learnClassNamed(name),
  };

  /**
   * Registers an `@Event` class and returns its wire name. Throws `unknown_event` for an
   * undecorated class and `duplicate_name` when another class already holds the name.
   */
  registerEvent(target: AnyClass, usedBy?: string): string {
    const known = this.#names.get(target);
    if (known !== undefined) return known;
    const metadata = eventMetadataOf(target);
    if (metadata === undefined) throw notAnEvent(target, usedBy);
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

  /**
   * Registers a `@Serializable` or `@Event` class met for the first time inside a payload and
   * returns its wire name; undefined for a class with neither decorator. Throws like
   * registration (`duplicate_name`, `bad_name`). The payload codec learns classes through
   * {@link EventRegistry.payloadClasses}; look-ups never do (test/unit/registry/event-registry.test.ts).
   */
  learnClass(target: Function): string | undefined {
    const known = this.#names.get(target as AnyClass);
    if (known !== undefined) return known;
    // A class that is both an @Event and @Serializable is written under its event name.
    if (eventMetadataOf(target) !== undefined) return this.registerEvent(target as AnyClass);
    if (serializableMetadataOf(target) !== undefined) return this.registerSerializable(target as AnyClass);
    return undefined;
  }

  /**
   * Registers the `@Serializable` class declared under `name` by a module loaded in this process
   * (a payload's nested class that this app has not met yet) and returns it. Events are never
   * learned this way: they must be registered by discovery or config. Undefined when no class,
   * or more than one, claims the name: two claimants revive neither.
   */
  learnClassNamed(name: string): AnyClass | undefined {
    const known = this.#classes.get(name);
    if (known !== undefined) return known;
    const candidates = allDecorations().filter(({ target }) => serializableMetadataOf(target)?.name === name);
    const only = candidates.length === 1 ? candidates[0] : undefined;
    if (only === undefined) return undefined;
    this.registerSerializable(only.target);
    return only.target;
  }

  /** The wire name of a registered class; registers nothing. */
  nameOf(target: Function): string | undefined {
    return this.#names.get(target as AnyClass);
  }

  /** The class registered under a wire name; registers nothing. */
  classFor(name: string): AnyClass | undefined {
    return this.#classes.get(name);
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
    if (metadata === undefined) throw notAnEvent(target);
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
