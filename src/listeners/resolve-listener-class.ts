import { HeraldError } from '../errors.js';
import type { AnyClass, ConcreteClass } from '../metadata/class-types.js';
import { decorationOf } from '../metadata/decoration-log.js';
import { isEventClass } from '../metadata/event-metadata.js';
import {
  type ListenTargets,
  listenerDeclarationOf,
  type OnDeclaration,
  onDeclarationsOf,
  subscriberDeclarationOf,
} from './decorator-declarations.js';
import { type NormalizedListenerOptions, normalizeListenerOptions } from './normalize-options.js';

/** A listener read off a class, before the registry gives it a sequence number. */
export interface ResolvedListener {
  readonly name: string;
  readonly target: ConcreteClass;
  readonly method: string;
  readonly events: readonly AnyClass[];
  readonly patterns: readonly string[];
  readonly options: NormalizedListenerOptions;
  readonly file: string | undefined;
}

/**
 * Reads the listeners a decorated class declares: one for a `@Listener` class, one per `@On`
 * method for a `@Subscriber`. Throws a `HeraldError` naming the class and its file for anything
 * that cannot work: a missing method, bad options, an event that cannot be inferred.
 */
export function resolveListenerClass(target: AnyClass, extraOptions?: unknown): ResolvedListener[] {
  const listener = listenerDeclarationOf(target);
  const subscriber = subscriberDeclarationOf(target);
  const file = listener?.file ?? subscriber?.file ?? decorationOf(target)?.file;
  const label = `${target.name} (${file ?? 'unknown file'})`;
  if (listener === undefined && subscriber === undefined) {
    throw new HeraldError(
      'config_invalid',
      `${label} is not a listener: decorate it with @Listener(...) or @Subscriber() from 'herald'.`,
    );
  }
  const resolved: ResolvedListener[] = [];
  if (listener !== undefined) {
    const owner = `Listener ${label}`;
    requireMethod(target, 'handle', owner);
    const handleOn = onDeclarationsOf(target).find((on) => on.method === 'handle');
    const targets =
      listener.targets === 'infer' && handleOn !== undefined ? handleOn.targets : listener.targets;
    const options = normalizeListenerOptions(merge(listener.options, extraOptions), owner);
    resolved.push({
      name: options.name ?? target.name,
      target: target as ConcreteClass,
      method: 'handle',
      ...splitTargets(targets, target, 'handle', owner),
      options,
      file,
    });
  }
  if (subscriber !== undefined) {
    const methods = onDeclarationsOf(target);
    if (methods.length === 0) {
      throw new HeraldError(
        'config_invalid',
        `Subscriber ${label} has no @On(...) methods: mark each listening method with @On(EventClass).`,
      );
    }
    for (const on of methods) resolved.push(resolveOnMethod(target, on, label, file, extraOptions));
  }
  return resolved;
}

function resolveOnMethod(
  target: AnyClass,
  on: OnDeclaration,
  label: string,
  file: string | undefined,
  extraOptions: unknown,
): ResolvedListener {
  const owner = `Subscriber ${label}, method ${on.method}`;
  requireMethod(target, on.method, owner);
  const options = normalizeListenerOptions(merge(on.options, extraOptions), owner);
  return {
    name: options.name ?? `${target.name}.${on.method}`,
    target: target as ConcreteClass,
    method: on.method,
    ...splitTargets(on.targets, target, on.method, owner),
    options,
    file,
  };
}

function merge(declared: unknown, extra: unknown): unknown {
  if (extra === undefined) return declared;
  if (declared === undefined) return extra;
  if (typeof declared !== 'object' || typeof extra !== 'object' || declared === null || extra === null)
    return declared;
  return { ...declared, ...extra };
}

function requireMethod(target: AnyClass, method: string, owner: string): void {
  if (typeof (target.prototype as Record<string, unknown>)[method] !== 'function') {
    throw new HeraldError(
      'config_invalid',
      `${owner} has no ${method}() method: add ${method}(event) to the class.`,
    );
  }
}

function splitTargets(
  targets: ListenTargets,
  target: AnyClass,
  method: string,
  owner: string,
): { events: AnyClass[]; patterns: string[] } {
  return splitTargetList(targets === 'infer' ? [inferEvent(target, method, owner)] : targets, owner);
}

/**
 * Sorts a listener's targets into event classes and wire-name patterns; anything else is an
 * error naming `owner`. Shared by the decorators' boot path and `listen()`.
 */
export function splitTargetList(
  list: readonly (AnyClass | string)[],
  owner: string,
): { events: AnyClass[]; patterns: string[] } {
  if (list.length === 0) {
    throw new HeraldError(
      'config_invalid',
      `${owner} listens to nothing: pass an event class, an array of them or a pattern.`,
    );
  }
  const events: AnyClass[] = [];
  const patterns: string[] = [];
  for (const entry of list) {
    if (typeof entry === 'string') {
      if (entry.trim() === '')
        throw new HeraldError('config_invalid', `${owner} listens to an empty event name.`);
      patterns.push(entry);
    } else if (isEventClass(entry)) {
      events.push(entry);
    } else {
      const name = typeof entry === 'function' ? (entry as AnyClass).name : String(entry);
      throw new HeraldError(
        'unknown_event',
        `${owner} listens to ${name || 'a value'}, which is not an event: decorate it with @Event() (and import it as a value, not with 'import type').`,
      );
    }
  }
  return { events, patterns };
}

const NOT_INFERABLE = new Set<unknown>([
  undefined,
  Object,
  Function,
  Array,
  String,
  Number,
  Boolean,
  Promise,
]);

/** Laravel's type-hint discovery: the first parameter type TypeScript emitted for the method. */
function inferEvent(target: AnyClass, method: string, owner: string): AnyClass {
  const hint = `name the event explicitly, e.g. @Listener(OrderShipped)`;
  const hasOn = onDeclarationsOf(target).some((on) => on.method === method);
  if (!hasOn) {
    throw new HeraldError(
      'unknown_event',
      `${owner}: cannot infer the event because ${method}() is not decorated, so TypeScript emitted no parameter types. Mark it @On() or ${hint}.`,
    );
  }
  const types = Reflect.getMetadata?.('design:paramtypes', target.prototype, method) as unknown[] | undefined;
  const first = types?.[0];
  if (types === undefined) {
    throw new HeraldError(
      'unknown_event',
      `${owner}: cannot infer the event because no parameter types were emitted (is 'emitDecoratorMetadata' on, reflect-metadata loaded, and the code not compiled by esbuild/tsx?). ${hint[0]?.toUpperCase()}${hint.slice(1)}.`,
    );
  }
  if (NOT_INFERABLE.has(first) || !isEventClass(first)) {
    const got = typeof first === 'function' && first.name !== '' ? first.name : 'no usable type';
    throw new HeraldError(
      'unknown_event',
      `${owner}: cannot infer the event from ${method}()'s first parameter (got ${got}; interfaces, unions and 'import type' emit no class). Use an @Event class imported as a value, or ${hint}.`,
    );
  }
  return first;
}
