import { HeraldError } from '../errors.js';
import { eventMetadataOf, serializableMetadataOf } from '../metadata/event-metadata.js';
import { type PathSegment, renderPath } from './payload-path.js';

/** Where the encoder is: what its refusals need to name the property path. */
export interface RefusalState {
  readonly root: string;
  /** Containers being encoded, outermost first; `ancestors[i]` sits at `path.slice(0, i)`. */
  readonly ancestors: object[];
  /** Segments from the root to the value being encoded. */
  readonly path: PathSegment[];
}

const SUPPORTED =
  'string, number, boolean, null, undefined, Date, BigInt, Map, Set, Uint8Array, Buffer, array, plain object';

/** HeraldError `not_serializable` for the value at the current path. */
export function refuse(state: RefusalState, detail: string, cause?: unknown): HeraldError {
  const message = `${renderPath(state.root, state.path)} ${detail}`;
  return new HeraldError('not_serializable', message, cause === undefined ? {} : { cause });
}

/** A getter or Proxy trap threw while the encoder read the value at the current path. */
export function refuseThrowing(state: RefusalState, error: unknown): HeraldError {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return refuse(
    state,
    `could not be read: a getter or Proxy trap threw (${reason.slice(0, 120)}). Dispatch plain data instead: copy the values into a plain object or a @Serializable() class first.`,
    error,
  );
}

/** The value at the current path is one of its own ancestors. */
export function refuseCycle(value: object, state: RefusalState): HeraldError {
  const first = renderPath(state.root, state.path.slice(0, state.ancestors.indexOf(value)));
  return refuse(
    state,
    `refers back to ${first}, which contains it (a cycle), and cycles cannot be serialized: break the cycle before dispatching, e.g. keep an id instead of the parent object.`,
  );
}

/** Throws for the first enumerable symbol key of `source`, if any. */
export function refuseEnumerableSymbolKeys(
  source: object,
  symbols: readonly symbol[],
  state: RefusalState,
): void {
  for (const symbol of symbols) {
    if (!Object.prototype.propertyIsEnumerable.call(source, symbol)) continue;
    throw new HeraldError(
      'not_serializable',
      `${renderPath(state.root, state.path)}[${String(symbol)}] has a symbol key, and symbol keys cannot travel in a queued job: use a string key, or make the property non-enumerable if the worker does not need it.`,
    );
  }
}

/** Why an instance of a class the resolver does not know cannot be encoded, and the fix. */
export function describeUnknownClass(ctor: unknown, proto: unknown): string {
  if (typeof ctor !== 'function' || ctor.prototype !== proto) {
    return `is an object with a custom prototype, which is not serializable: use a plain object, or an instance of a class decorated with @Serializable().`;
  }
  const className = ctor.name || '(anonymous)';
  const wire = eventMetadataOf(ctor) ?? serializableMetadataOf(ctor);
  if (wire !== undefined) {
    return `is an instance of class ${className} (wire name "${wire.name}"), which this app does not know: make sure the app loads the file that declares it (discovery or the manifest) before dispatching.`;
  }
  if (Function.prototype.toString.call(ctor).includes('[native code]')) {
    return `is an instance of class ${className}, which is not serializable: convert it to a supported value first (${SUPPORTED}).`;
  }
  return `is an instance of class ${className}, which is not serializable: decorate it with @Serializable() (and let the app load it), or pass a plain object instead.`;
}

/** Throws for the first named (non-index) enumerable property of an array, which JSON would drop. */
export function refuseNamedProperties(source: readonly unknown[], state: RefusalState): void {
  for (const key of Object.keys(source)) {
    const index = Number(key);
    if (Number.isInteger(index) && index >= 0 && index < source.length && String(index) === key) continue;
    state.path.push(key);
    throw refuse(
      state,
      `is a named property of an array, which a queued job would drop (only elements travel): move it into an object, e.g. { items: [...], ${JSON.stringify(key.slice(0, 24))}: ... }.`,
    );
  }
}
