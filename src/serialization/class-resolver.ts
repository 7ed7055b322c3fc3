import type { AnyClass } from '../metadata/class-types.js';

/**
 * Which classes the payload codec may write and revive, by wire name. The app's
 * `EventRegistry` is the one implementation (`payloadClasses` for the app's codec); the codec
 * never revives anything else.
 */
export interface ClassResolver {
  /** Wire name of a class whose instances may be encoded (@Event or @Serializable known to the app), else undefined. */
  nameOf(ctor: Function): string | undefined;
  /** The class for a wire name, or undefined when unknown. */
  classFor(name: string): AnyClass | undefined;
}
