import type { AnyClass } from '../metadata/class-types.js';
import { LISTENER_METADATA, ON_METADATA, SUBSCRIBER_METADATA } from '../metadata/keys.js';

/** What a listener listens to: event classes, a wire-name pattern, or "infer from handle". */
export type ListenTargets = readonly (AnyClass | string)[] | 'infer';

/** What `@Listener` stores on a class, unvalidated (boot validates, naming the file). */
export interface ListenerDeclaration {
  readonly targets: ListenTargets;
  readonly options: unknown;
  readonly file: string | undefined;
}

/** What `@On` stores per method. */
export interface OnDeclaration {
  readonly method: string;
  readonly targets: ListenTargets;
  readonly options: unknown;
}

/** What `@Subscriber` stores on a class. */
export interface SubscriberDeclaration {
  readonly file: string | undefined;
}

type Carrier = Record<symbol, unknown>;

function own<T>(target: AnyClass, key: symbol): T | undefined {
  return Object.hasOwn(target, key) ? ((target as unknown as Carrier)[key] as T) : undefined;
}

function define(target: AnyClass, key: symbol, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: false, configurable: true, writable: true });
}

/** The `@Listener` declaration of a class, if any. */
export function listenerDeclarationOf(target: AnyClass): ListenerDeclaration | undefined {
  return own<ListenerDeclaration>(target, LISTENER_METADATA);
}

/** The `@Subscriber` declaration of a class, if any. */
export function subscriberDeclarationOf(target: AnyClass): SubscriberDeclaration | undefined {
  return own<SubscriberDeclaration>(target, SUBSCRIBER_METADATA);
}

/** The `@On` declarations of a class's methods, in source order. */
export function onDeclarationsOf(target: AnyClass): readonly OnDeclaration[] {
  return own<OnDeclaration[]>(target, ON_METADATA) ?? [];
}

/** Stores a `@Listener` declaration. */
export function declareListener(target: AnyClass, declaration: ListenerDeclaration): void {
  define(target, LISTENER_METADATA, declaration);
}

/** Stores a `@Subscriber` declaration. */
export function declareSubscriber(target: AnyClass, declaration: SubscriberDeclaration): void {
  define(target, SUBSCRIBER_METADATA, declaration);
}

/** Appends an `@On` declaration (method decorators run before the class decorator). */
export function declareOn(target: AnyClass, declaration: OnDeclaration): void {
  const existing = own<OnDeclaration[]>(target, ON_METADATA);
  if (existing === undefined) define(target, ON_METADATA, [declaration]);
  else existing.push(declaration);
}

/** Whether a class carries any herald listener decoration. */
export function isListenerLike(target: unknown): target is AnyClass {
  if (typeof target !== 'function') return false;
  const cls = target as AnyClass;
  return listenerDeclarationOf(cls) !== undefined || subscriberDeclarationOf(cls) !== undefined;
}
