import { HeraldError } from '../errors.js';
import type { AnyClass } from '../metadata/class-types.js';
import { eventMetadataOf, serializableMetadataOf } from '../metadata/event-metadata.js';

/**
 * Which classes the payload codec may write and revive, by wire name. The app builds one from
 * the `@Event` and `@Serializable` classes it knows; the codec never revives anything else.
 */
export interface ClassResolver {
  /** Wire name of a class whose instances may be encoded (@Event or @Serializable known to the app), else undefined. */
  nameOf(ctor: Function): string | undefined;
  /** The class for a wire name, or undefined when unknown. */
  classFor(name: string): AnyClass | undefined;
}

/**
 * Builds a {@link ClassResolver} from decorated classes. A class decorated with both `@Event`
 * and `@Serializable` is written under its event name and revived under either name.
 *
 * Throws HeraldError `duplicate_name` when two classes claim one wire name, and
 * `not_serializable` for a class with neither decorator.
 *
 * @example
 * const resolver = createMapClassResolver([OrderShipped, Money]);
 * const encoded = encodePayload(new OrderShipped('o-1', new Money(500n, 'EUR')), resolver);
 */
export function createMapClassResolver(classes: Iterable<AnyClass>): ClassResolver {
  // Maps, not plain objects: a wire name such as "__proto__" must look up nothing.
  const byName = new Map<string, AnyClass>();
  const byClass = new Map<Function, string>();
  for (const target of classes) {
    const names = wireNamesOf(target);
    const preferred = names[0];
    if (preferred === undefined) {
      throw new HeraldError(
        'not_serializable',
        `class ${target.name || '(anonymous)'} has neither @Event() nor @Serializable(): decorate it before handing it to the payload codec.`,
      );
    }
    for (const name of names) {
      const existing = byName.get(name);
      if (existing !== undefined && existing !== target) {
        throw new HeraldError(
          'duplicate_name',
          `wire name "${name}" is claimed by two classes, ${existing.name} and ${target.name}: give one of them an explicit name, e.g. @Serializable('billing.${target.name}').`,
        );
      }
      byName.set(name, target);
    }
    byClass.set(target, preferred);
  }
  return {
    nameOf: (ctor) => byClass.get(ctor),
    classFor: (name) => byName.get(name),
  };
}

function wireNamesOf(target: AnyClass): string[] {
  const names: string[] = [];
  const event = eventMetadataOf(target);
  if (event !== undefined) names.push(event.name);
  const serializable = serializableMetadataOf(target);
  if (serializable !== undefined && serializable.name !== event?.name) names.push(serializable.name);
  return names;
}
