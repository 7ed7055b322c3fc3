import { Buffer } from 'node:buffer';
import { HeraldError } from '../errors.js';
import { eventMetadataOf, serializableMetadataOf } from '../events/event-metadata.js';
import type { ClassResolver } from './class-resolver.js';
import type { EncodedObject, EncodedPayload } from './encoded-payload.js';
import { type CollectionSegment, type PathSegment, renderPath } from './payload-path.js';
import { isForbiddenKey, MAX_DEPTH, TAG_KEY, TAGS } from './payload-tags.js';

/** Options of {@link encodePayload}. */
export interface EncodeOptions {
  /** First word of the property paths in error messages, e.g. the event's class name. Default `'event'`. */
  readonly root?: string;
}

interface EncodeState {
  readonly resolver: ClassResolver;
  readonly root: string;
  /** Containers being encoded, outermost first; `ancestors[i]` sits at `path.slice(0, i)`. */
  readonly ancestors: object[];
  /** Segments from the root to the value being encoded; rendered only for error messages. */
  readonly path: PathSegment[];
}

const SUPPORTED =
  'string, number, boolean, null, undefined, Date, BigInt, Map, Set, Uint8Array, Buffer, array, plain object';

/**
 * Encodes a value (normally an event instance) into JSON-safe data for a queued job. Supports
 * strings, numbers (NaN, ±Infinity and -0 included), booleans, null, undefined, Date, BigInt,
 * Map, Set, Uint8Array, Buffer, arrays, plain and null-prototype objects, and instances of the
 * classes `resolver` names (own enumerable properties only; `#private` fields do not travel).
 * Types JSON lacks become tagged nodes, see `payload-tags.ts`.
 *
 * Throws HeraldError `not_serializable` — before anything is returned, so nothing half-encoded
 * is ever enqueued — for functions, symbols (values and enumerable symbol keys), instances of
 * classes the resolver does not know, cycles, the keys `__proto__` / `constructor` / `prototype`
 * (decoding refuses them), and nesting deeper than 1000 levels. The message starts with the
 * property path, e.g. `event.items[2].owner.callback` (see `renderPath`), and says what to do.
 *
 * A value referenced twice without a cycle is encoded twice and decodes as two copies.
 *
 * @example
 * const job = { payload: encodePayload(event, resolver, { root: 'OrderShipped' }) };
 * await queue.push(JSON.stringify(job));
 */
export function encodePayload(
  value: object,
  resolver: ClassResolver,
  options: EncodeOptions = {},
): EncodedPayload {
  const state: EncodeState = { resolver, root: options.root ?? 'event', ancestors: [], path: [] };
  return encodeValue(value, state);
}

/** Finite, and not -0: the numbers `JSON.stringify` keeps exactly. */
function isJsonNumber(value: number): boolean {
  // `value - value` is NaN for NaN and ±Infinity; `1 / -0` is -Infinity.
  return value - value === 0 && (value !== 0 || 1 / value > 0);
}

/** Values that are their own encoding; the hot loops copy these without a call or a path push. */
function isJsonLeaf(value: unknown): value is string | boolean | number | null {
  const type = typeof value;
  return (
    type === 'string' ||
    type === 'boolean' ||
    value === null ||
    (type === 'number' && isJsonNumber(value as number))
  );
}

function encodeValue(value: unknown, state: EncodeState): EncodedPayload {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return isJsonNumber(value)
        ? value
        : { [TAG_KEY]: TAGS.number, v: Object.is(value, -0) ? '-0' : String(value) };
    case 'undefined':
      return { [TAG_KEY]: TAGS.undefined };
    case 'bigint':
      return { [TAG_KEY]: TAGS.bigint, v: value.toString() };
    case 'object':
      return value === null ? null : encodeObject(value, state);
    case 'function':
      throw refuse(
        state,
        'is a function, and functions cannot travel in a queued job: move the behaviour into a class method (methods live on the prototype and are not sent) or into the listener, and pass data instead.',
      );
    default:
      throw refuse(
        state,
        `is a symbol (${String(value)}), and symbols cannot travel in a queued job: use a string instead.`,
      );
  }
}

function encodeObject(value: object, state: EncodeState): EncodedPayload {
  const proto: unknown = Object.getPrototypeOf(value);
  // Leaf objects first: they hold no children, so they need no cycle bookkeeping.
  if (proto === Date.prototype) {
    const time = (value as Date).getTime();
    return { [TAG_KEY]: TAGS.date, v: Number.isNaN(time) ? null : (value as Date).toISOString() };
  }
  if (proto === Buffer.prototype) return { [TAG_KEY]: TAGS.buffer, v: (value as Buffer).toString('base64') };
  if (proto === Uint8Array.prototype) {
    const bytes = value as Uint8Array;
    return {
      [TAG_KEY]: TAGS.uint8Array,
      v: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
    };
  }

  const ancestors = state.ancestors;
  if (ancestors.includes(value)) throw refuseCycle(value, state);
  if (ancestors.length >= MAX_DEPTH) {
    throw refuse(state, `is nested deeper than ${MAX_DEPTH} levels: flatten the payload before dispatching.`);
  }
  ancestors.push(value);
  const encoded = encodeContainer(value, proto, state);
  ancestors.pop();
  return encoded;
}

function encodeContainer(value: object, proto: unknown, state: EncodeState): EncodedPayload {
  if (proto === Object.prototype) {
    const properties = encodeProperties(value, state);
    // A user's own "$t" key would read back as a tag: wrap the object so its keys are literal.
    return Object.hasOwn(properties, TAG_KEY) ? { [TAG_KEY]: TAGS.escapedObject, v: properties } : properties;
  }
  if (proto === Array.prototype) return encodeArray(value as readonly unknown[], state);
  if (proto === null) return { [TAG_KEY]: TAGS.nullPrototypeObject, v: encodeProperties(value, state) };
  if (proto === Map.prototype) {
    return { [TAG_KEY]: TAGS.map, v: encodeMapEntries(value as Map<unknown, unknown>, state) };
  }
  if (proto === Set.prototype) {
    return { [TAG_KEY]: TAGS.set, v: encodeSetItems(value as Set<unknown>, state) };
  }

  const ctor = (proto as { constructor?: unknown }).constructor;
  // `ctor.prototype === proto` rules out objects built on a class's prototype by other means
  // (e.g. Object.create(Object.create(Foo.prototype))), which reviving as Foo would change.
  const name =
    typeof ctor === 'function' && ctor.prototype === proto ? state.resolver.nameOf(ctor) : undefined;
  if (name === undefined) throw refuse(state, describeUnknownClass(ctor, proto));
  return { [TAG_KEY]: TAGS.classInstance, n: name, v: encodeProperties(value, state) };
}

/** Own enumerable string-keyed properties, as for JSON.stringify; the hot loop of the encoder. */
function encodeProperties(source: object, state: EncodeState): EncodedObject {
  const symbols = Object.getOwnPropertySymbols(source);
  if (symbols.length > 0) refuseEnumerableSymbolKeys(source, symbols, state);
  const record = source as Record<string, unknown>;
  const keys = Object.keys(source);
  const out: EncodedObject = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (isForbiddenKey(key)) {
      state.path.push(key);
      throw refuse(
        state,
        `uses the property name "${key}", which payloads may not contain (a decoder writing it could alter prototypes): rename the property.`,
      );
    }
    const value = record[key];
    if (isJsonLeaf(value)) {
      out[key] = value;
    } else {
      state.path.push(key);
      out[key] = encodeValue(value, state);
      state.path.pop();
    }
  }
  return out;
}

function encodeArray(source: readonly unknown[], state: EncodeState): EncodedPayload[] {
  const out: EncodedPayload[] = [];
  // An index loop, not for-of: holes read as undefined and are written as undefined nodes.
  for (let i = 0; i < source.length; i++) {
    const value = source[i];
    if (isJsonLeaf(value)) {
      out.push(value);
    } else {
      state.path.push(i);
      out.push(encodeValue(value, state));
      state.path.pop();
    }
  }
  return out;
}

function encodeMapEntries(source: Map<unknown, unknown>, state: EncodeState): EncodedPayload[] {
  const out: EncodedPayload[] = [];
  let index = 0;
  for (const [key, value] of source) {
    const encodedKey = encodeEntryPart(key, 'map-key', index, undefined, state);
    out.push([encodedKey, encodeEntryPart(value, 'map-value', index, key, state)]);
    index++;
  }
  return out;
}

function encodeSetItems(source: Set<unknown>, state: EncodeState): EncodedPayload[] {
  const out: EncodedPayload[] = [];
  let index = 0;
  for (const item of source) out.push(encodeEntryPart(item, 'set-item', index++, undefined, state));
  return out;
}

function encodeEntryPart(
  value: unknown,
  kind: CollectionSegment['kind'],
  index: number,
  key: unknown,
  state: EncodeState,
): EncodedPayload {
  if (isJsonLeaf(value)) return value;
  state.path.push(kind === 'map-value' ? { kind, index, key } : { kind, index });
  const encoded = encodeValue(value, state);
  state.path.pop();
  return encoded;
}

function refuse(state: EncodeState, detail: string): HeraldError {
  return new HeraldError('not_serializable', `${renderPath(state.root, state.path)} ${detail}`);
}

function refuseCycle(value: object, state: EncodeState): HeraldError {
  const first = renderPath(state.root, state.path.slice(0, state.ancestors.indexOf(value)));
  return refuse(
    state,
    `refers back to ${first}, which contains it (a cycle), and cycles cannot be serialized: break the cycle before dispatching, e.g. keep an id instead of the parent object.`,
  );
}

function refuseEnumerableSymbolKeys(source: object, symbols: readonly symbol[], state: EncodeState): void {
  for (const symbol of symbols) {
    if (!Object.prototype.propertyIsEnumerable.call(source, symbol)) continue;
    throw new HeraldError(
      'not_serializable',
      `${renderPath(state.root, state.path)}[${String(symbol)}] has a symbol key, and symbol keys cannot travel in a queued job: use a string key, or make the property non-enumerable if the worker does not need it.`,
    );
  }
}

function describeUnknownClass(ctor: unknown, proto: unknown): string {
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
