import type { AnyClass } from './class-types.js';
import { EVENT_METADATA, SERIALIZABLE_METADATA } from './keys.js';

/** Characters allowed in listener and event wire names: they end up in Redis keys and logs. */
export const WIRE_NAME_PATTERN = /^[A-Za-z_$][\w$.:\-/]*$/;

/** What `@Event` / `@Serializable` store on a class. */
export interface WireClassMetadata {
  /** The wire name: stable across deploys, stored in queued jobs. */
  readonly name: string;
  /** The module that declared the class, when known (for boot error messages). */
  readonly file: string | undefined;
}

/** The log an event is appended to on a `streams` connection (`@Event(name, { stream, key })`). */
export interface EventStreamMetadata {
  /** The stream's name; default: the event's wire name. */
  readonly stream: string | undefined;
  /** Picks the partition of an event; undefined = partition 0. */
  readonly key: ((event: never) => unknown) | undefined;
}

/** What `@Event` stores on a class: its wire metadata and, when given, its stream options. */
export interface EventClassMetadata extends WireClassMetadata {
  readonly streaming?: EventStreamMetadata | undefined;
  /** `@Event(name, { afterCommit: true })`: the whole dispatch waits for the transaction's commit. */
  readonly afterCommit?: boolean;
}

/**
 * Characters allowed in a stream name: it is one part of a Redis key
 * (`<prefix>:<stream>:<partition>`), so no ':' that would blur the layout, and no spaces.
 */
export const STREAM_NAME_PATTERN = /^[A-Za-z0-9_][\w.\-/]*$/;

function ownMetadata(target: unknown, key: symbol): WireClassMetadata | undefined {
  if (typeof target !== 'function') return undefined;
  // Own property only: a subclass of an event is not the same event unless decorated itself.
  return Object.hasOwn(target, key)
    ? ((target as unknown as Record<symbol, WireClassMetadata>)[key] ?? undefined)
    : undefined;
}

/** The `@Event` metadata of a class, or undefined when it is not an event. */
export function eventMetadataOf(target: unknown): EventClassMetadata | undefined {
  return ownMetadata(target, EVENT_METADATA);
}

/** The `@Serializable` metadata of a class, or undefined. */
export function serializableMetadataOf(target: unknown): WireClassMetadata | undefined {
  return ownMetadata(target, SERIALIZABLE_METADATA);
}

/** Whether the class is decorated with `@Event`. */
export function isEventClass(target: unknown): target is AnyClass {
  return eventMetadataOf(target) !== undefined;
}

/** Writes wire metadata as a non-enumerable own property under `key`. */
export function defineWireMetadata(
  target: AnyClass,
  key: symbol,
  metadata: WireClassMetadata | EventClassMetadata,
): void {
  Object.defineProperty(target, key, { value: metadata, enumerable: false, configurable: true });
}
