import { Buffer } from 'node:buffer';
import { HeraldError } from '../errors.js';
import { slottedBuiltinAdvice, slottedBuiltinBase } from './builtin-base.js';
import type { ClassResolver } from './class-resolver.js';
import {
  describeUnknownClass,
  type RefusalState,
  refuse,
  refuseCycle,
  refuseEnumerableSymbolKeys,
  refuseNamedProperties,
  refuseThrowing,
} from './encode-refusals.js';
import type { EncodedObject, EncodedPayload } from './encoded-payload.js';
import type { CollectionSegment } from './payload-path.js';
import { isForbiddenKey, MAX_DEPTH, TAG_KEY, TAGS } from './payload-tags.js';
import { prototypeMembers } from './prototype-members.js';
import { KEY_BYTES, leafBytes, type MeasuredPayload, TAG_BYTES, VALUE_BYTES } from './size-bound.js';

/** Options of {@link encodePayload}. */
export interface EncodeOptions {
  /** First word of the property paths in error messages, e.g. the event's class name. Default `'event'`. */
  readonly root?: string;
}

interface EncodeState extends RefusalState {
  readonly resolver: ClassResolver;
  /** The running upper bound of the JSON size in bytes (size-bound.ts). */
  bound: number;
}

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
 * (decoding refuses them), nesting deeper than 1000 levels, arrays with named (non-index)
 * properties, instances of classes that extend a built-in such as Map, Set, Date, Array or a
 * typed array, class instances whose own data would shadow one of the class's methods, and
 * values whose getter or Proxy trap throws. The message starts with the property path, e.g.
 * `event.items[2].owner.callback` (see `renderPath`), and says what to do.
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
  return encodePayloadMeasured(value, resolver, options).payload;
}

/** {@link encodePayload}, plus an upper bound of the JSON size (for `maxPayloadBytes`). */
export function encodePayloadMeasured(
  value: object,
  resolver: ClassResolver,
  options: EncodeOptions = {},
): MeasuredPayload {
  const state: EncodeState = { resolver, root: options.root ?? 'event', ancestors: [], path: [], bound: 0 };
  try {
    const payload = encodeValue(value, state);
    return { payload, maxBytes: state.bound };
  } catch (error) {
    if (HeraldError.is(error)) throw error;
    // A Proxy trap or a built-in method called on a Proxy threw: the path is where it happened.
    throw refuseThrowing(state, error);
  }
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
  state.bound += VALUE_BYTES;
  switch (typeof value) {
    case 'string':
      state.bound += 6 * value.length;
      return value;
    case 'boolean':
      return value;
    case 'number':
      if (isJsonNumber(value)) return value;
      state.bound += TAG_BYTES;
      return { [TAG_KEY]: TAGS.number, v: Object.is(value, -0) ? '-0' : String(value) };
    case 'undefined':
      return { [TAG_KEY]: TAGS.undefined };
    case 'bigint': {
      const digits = value.toString();
      state.bound += TAG_BYTES + digits.length;
      return { [TAG_KEY]: TAGS.bigint, v: digits };
    }
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
    state.bound += 2 * TAG_BYTES;
    return { [TAG_KEY]: TAGS.date, v: Number.isNaN(time) ? null : (value as Date).toISOString() };
  }
  if (proto === Buffer.prototype) {
    const base64 = (value as Buffer).toString('base64');
    state.bound += TAG_BYTES + base64.length;
    return { [TAG_KEY]: TAGS.buffer, v: base64 };
  }
  if (proto === Uint8Array.prototype) {
    const bytes = value as Uint8Array;
    const base64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    state.bound += TAG_BYTES + base64.length;
    return { [TAG_KEY]: TAGS.uint8Array, v: base64 };
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
  // A tag and the braces of whatever wrapper the container gets.
  state.bound += TAG_BYTES;
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
  const base = slottedBuiltinBase(ctor as Function);
  if (base !== undefined) {
    throw refuse(state, `is an instance of ${slottedBuiltinAdvice((ctor as Function).name, base)}.`);
  }
  state.bound += 6 * name.length;
  return {
    [TAG_KEY]: TAGS.classInstance,
    n: name,
    v: encodeProperties(value, state, prototypeMembers(proto as object).methods),
  };
}

/**
 * Own enumerable string-keyed properties, as for JSON.stringify; the hot loop of the encoder.
 * `methods`: for a class instance, its class's method names, which no property may shadow.
 */
function encodeProperties(source: object, state: EncodeState, methods?: ReadonlySet<string>): EncodedObject {
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
    if (methods?.has(key) === true) {
      state.path.push(key);
      throw refuse(
        state,
        `is own data that shadows the method ${key}() of its class, which the worker would not revive (it never lets payload data replace a method): rename the property or the method.`,
      );
    }
    let value: unknown;
    try {
      value = record[key];
    } catch (error) {
      state.path.push(key);
      throw refuseThrowing(state, error);
    }
    state.bound += KEY_BYTES + 6 * key.length;
    if (isJsonLeaf(value)) {
      state.bound += leafBytes(value);
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
  let holes = 0;
  // An index loop, not for-of: holes read as undefined and are written as undefined nodes.
  for (let i = 0; i < source.length; i++) {
    const value = source[i];
    if (isJsonLeaf(value)) {
      state.bound += leafBytes(value);
      out.push(value);
    } else {
      if (value === undefined && !(i in source)) holes++;
      state.path.push(i);
      out.push(encodeValue(value, state));
      state.path.pop();
    }
  }
  // Object.values counts elements and named properties alike, and is far cheaper than
  // Object.keys (no index strings): only an array that has more than its elements is searched.
  if (Object.values(source).length !== source.length - holes) refuseNamedProperties(source, state);
  return out;
}

function encodeMapEntries(source: Map<unknown, unknown>, state: EncodeState): EncodedPayload[] {
  const out: EncodedPayload[] = [];
  let index = 0;
  for (const [key, value] of source) {
    state.bound += VALUE_BYTES;
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
  if (isJsonLeaf(value)) {
    state.bound += leafBytes(value);
    return value;
  }
  state.path.push(kind === 'map-value' ? { kind, index, key } : { kind, index });
  const encoded = encodeValue(value, state);
  state.path.pop();
  return encoded;
}
