import { HeraldError } from '../errors.js';
import type { ClassResolver } from './class-resolver.js';
import {
  decodeBase64,
  decodeBigInt,
  decodeIsoDate,
  decodeSpecialNumber,
  type FailNode,
} from './decode-text-nodes.js';
import { type CollectionSegment, type PathSegment, renderPath } from './payload-path.js';
import { isForbiddenKey, MAX_DEPTH, TAG_KEY, TAGS } from './payload-tags.js';
import { type PrototypeMembers, prototypeMembers } from './prototype-members.js';

/** Options of {@link decodePayload}. */
export interface DecodeOptions {
  /** First word of the property paths in error messages. Default `'event'`. */
  readonly root?: string;
}

interface DecodeState {
  readonly resolver: ClassResolver;
  readonly root: string;
  /** Segments from the root to the node being decoded; rendered only for error messages. */
  readonly path: PathSegment[];
}

const ALTERED =
  'the job was altered in the queue or written by an incompatible version of herald; it cannot be retried as is.';

/**
 * Decodes what {@link encodePayload} produced (after any JSON round trip) back into values:
 * Dates, BigInts, Maps, Sets, Uint8Arrays, Buffers, undefined, non-finite numbers, plain and
 * null-prototype objects, and class instances revived with `Object.create(Class.prototype)`,
 * so constructors do not run.
 *
 * Input is treated as hostile. Throws HeraldError `bad_payload`, naming the property path
 * (e.g. `event.items[2].owner`), for: a class wire name the resolver does not know (never
 * revived; usually a deploy is out of date), the keys `__proto__` / `constructor` /
 * `prototype` anywhere (never written, so nothing can reach a prototype), malformed tagged
 * nodes (unknown tag, wrong shape, an impossible date or one not spelled as toISOString
 * writes, base64 or bigint text), a property of a revived class instance that would shadow one
 * of its class's methods, values JSON cannot hold, and nesting deeper than 1000 levels. Anything
 * else thrown while decoding is wrapped as `bad_payload` too (cause kept), so a worker always
 * fails such a job at once instead of treating it as a listener failure.
 *
 * @example
 * const event = decodePayload(JSON.parse(text).payload, resolver);
 */
export function decodePayload(
  encoded: unknown,
  resolver: ClassResolver,
  options: DecodeOptions = {},
): unknown {
  const state: DecodeState = { resolver, root: options.root ?? 'event', path: [] };
  try {
    return decodeValue(encoded, state);
  } catch (error) {
    if (HeraldError.is(error)) throw error;
    // Whatever the input, the only failure is bad_payload, the kind a worker fails at once and
    // lists as bad data (test/unit/serialization/codec.limits.test.ts).
    throw malformed(
      state,
      `could not be decoded (${String((error as Error | undefined)?.message ?? error).slice(0, 120)}); ${ALTERED}`,
      error,
    );
  }
}

function isLeaf(value: unknown): value is string | number | boolean | null {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || value === null;
}

function decodeValue(node: unknown, state: DecodeState): unknown {
  if (isLeaf(node)) return node;
  if (typeof node !== 'object') {
    throw malformed(state, `is a ${typeof node}, which is not a JSON value; ${ALTERED}`);
  }
  if (state.path.length >= MAX_DEPTH) throw malformed(state, `is nested deeper than ${MAX_DEPTH} levels.`);
  if (Array.isArray(node)) return decodeArray(node, state);
  if (!isJsonObject(node)) throw malformed(state, `is an object that JSON cannot produce; ${ALTERED}`);
  if (!Object.hasOwn(node, TAG_KEY)) return decodeProperties(node, {}, undefined, state);
  return decodeTagged(node, state);
}

function isJsonObject(node: unknown): node is Record<string, unknown> {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return false;
  const proto: unknown = Object.getPrototypeOf(node);
  return proto === Object.prototype || proto === null;
}

function decodeArray(source: readonly unknown[], state: DecodeState): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < source.length; i++) {
    const value = source[i];
    if (isLeaf(value)) {
      out.push(value);
    } else {
      state.path.push(i);
      out.push(decodeValue(value, state));
      state.path.pop();
    }
  }
  return out;
}

/** Copies decoded properties onto `target`, refusing the keys that could reach a prototype. */
function decodeProperties<T extends object>(
  source: Record<string, unknown>,
  target: T,
  /** The revived class's members (see below); undefined: assign every property. */
  members: PrototypeMembers | undefined,
  state: DecodeState,
): T {
  const out = target as Record<string, unknown>;
  const keys = Object.keys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (isForbiddenKey(key)) {
      state.path.push(key);
      throw malformed(
        state,
        `is a "${key}" key, which herald never writes onto an object (prototype pollution); ${ALTERED}`,
      );
    }
    if (members?.methods.has(key) === true) {
      state.path.push(key);
      throw malformed(
        state,
        `would shadow the method ${key}() of the revived class with data, which herald never does; ${ALTERED}`,
      );
    }
    const value = source[key];
    let decoded: unknown = value;
    if (!isLeaf(value)) {
      state.path.push(key);
      decoded = decodeValue(value, state);
      state.path.pop();
    }
    // Class instances get data properties defined, not assigned, where the class's prototype
    // chain has that name: assignment would run a setter it declares, or fail on a read-only
    // property. Elsewhere assignment does exactly the same and is much cheaper.
    if (members?.names.has(key) === true) {
      Object.defineProperty(out, key, {
        value: decoded,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      out[key] = decoded;
    }
  }
  return target;
}

function decodeTagged(node: Record<string, unknown>, state: DecodeState): unknown {
  const tag = node[TAG_KEY];
  switch (tag) {
    case TAGS.undefined:
      expectShape(node, tag, [], state);
      return undefined;
    case TAGS.number:
      return decodeSpecialNumber(expectShape(node, tag, ['v'], state), nodeFailure(state, tag));
    case TAGS.date:
      return decodeIsoDate(expectShape(node, tag, ['v'], state), nodeFailure(state, tag));
    case TAGS.bigint:
      return decodeBigInt(expectShape(node, tag, ['v'], state), nodeFailure(state, tag));
    case TAGS.uint8Array:
      return new Uint8Array(decodeBase64(expectShape(node, tag, ['v'], state), nodeFailure(state, tag)));
    case TAGS.buffer:
      return decodeBase64(expectShape(node, tag, ['v'], state), nodeFailure(state, tag));
    case TAGS.map:
      return decodeMap(expectArray(expectShape(node, tag, ['v'], state), tag, state), state);
    case TAGS.set:
      return decodeSet(expectArray(expectShape(node, tag, ['v'], state), tag, state), state);
    case TAGS.escapedObject:
      return decodeProperties(
        expectObject(expectShape(node, tag, ['v'], state), tag, state),
        {},
        undefined,
        state,
      );
    case TAGS.nullPrototypeObject: {
      const source = expectObject(expectShape(node, tag, ['v'], state), tag, state);
      return decodeProperties(source, Object.create(null) as object, undefined, state);
    }
    case TAGS.classInstance:
      return decodeClassInstance(node, state);
    default:
      throw malformed(
        state,
        `has an unknown tag ${(JSON.stringify(tag) ?? String(tag)).slice(0, 40)} under "${TAG_KEY}"; ${ALTERED}`,
      );
  }
}

/** Checks the node owns exactly `$t` plus `keys`, and returns its `v` (undefined when absent). */
function expectShape(
  node: Record<string, unknown>,
  tag: string,
  keys: readonly string[],
  state: DecodeState,
): unknown {
  // Counted, not listed: this runs for every tagged node (every event), and the list is only
  // needed for the error message.
  let count = 0;
  for (const key in node) if (Object.hasOwn(node, key)) count++;
  let complete = count === keys.length + 1;
  for (let i = 0; complete && i < keys.length; i++) complete = Object.hasOwn(node, keys[i] as string);
  if (!complete) {
    const expected = [TAG_KEY, ...keys].join(', ');
    throw badNode(
      state,
      tag,
      `it must have exactly the keys ${expected}, not ${Object.keys(node).join(', ')}`,
    );
  }
  return node.v;
}

function expectArray(value: unknown, tag: string, state: DecodeState): readonly unknown[] {
  if (!Array.isArray(value)) throw badNode(state, tag, 'v must be an array');
  return value;
}

function expectObject(value: unknown, tag: string, state: DecodeState): Record<string, unknown> {
  if (!isJsonObject(value)) throw badNode(state, tag, 'v must be an object');
  return value;
}

function decodeMap(entries: readonly unknown[], state: DecodeState): Map<unknown, unknown> {
  const map = new Map<unknown, unknown>();
  for (let index = 0; index < entries.length; index++) {
    const entry = entries[index];
    if (!Array.isArray(entry) || entry.length !== 2) {
      state.path.push({ kind: 'map-key', index });
      throw badNode(state, TAGS.map, 'each entry must be a [key, value] array');
    }
    const key = decodeEntryPart(entry[0], { kind: 'map-key', index }, state);
    map.set(key, decodeEntryPart(entry[1], { kind: 'map-value', index, key }, state));
  }
  return map;
}

function decodeSet(items: readonly unknown[], state: DecodeState): Set<unknown> {
  const set = new Set<unknown>();
  for (let index = 0; index < items.length; index++) {
    set.add(decodeEntryPart(items[index], { kind: 'set-item', index }, state));
  }
  return set;
}

function decodeEntryPart(node: unknown, segment: CollectionSegment, state: DecodeState): unknown {
  if (isLeaf(node)) return node;
  state.path.push(segment);
  const decoded = decodeValue(node, state);
  state.path.pop();
  return decoded;
}

function decodeClassInstance(node: Record<string, unknown>, state: DecodeState): object {
  const source = expectObject(
    expectShape(node, TAGS.classInstance, ['n', 'v'], state),
    TAGS.classInstance,
    state,
  );
  const name = node.n;
  if (typeof name !== 'string') throw badNode(state, TAGS.classInstance, 'n must be a class wire name');
  const target = state.resolver.classFor(name);
  if (target === undefined) {
    throw malformed(
      state,
      `holds an instance of "${name.slice(0, 80)}", a class wire name this app does not know, so it was not revived. A deploy is probably out of date (the worker runs other code than the dispatcher): deploy the same code to both, make sure the class is decorated with @Event() or @Serializable() and loaded, then retry the job.`,
    );
  }
  // Object.create, not `new`: a constructor may have side effects or required arguments, and
  // the instance's state comes from the payload.
  const prototype = target.prototype as object;
  return decodeProperties(source, Object.create(prototype) as object, prototypeMembers(prototype), state);
}

function nodeFailure(state: DecodeState, tag: string): FailNode {
  return (detail) => {
    throw badNode(state, tag, detail);
  };
}

function badNode(state: DecodeState, tag: string, detail: string): HeraldError {
  return malformed(state, `is a malformed "${tag}" node: ${detail}; ${ALTERED}`);
}

function malformed(state: DecodeState, detail: string, cause?: unknown): HeraldError {
  const message = `${renderPath(state.root, state.path)} ${detail}`;
  return new HeraldError('bad_payload', message, cause === undefined ? {} : { cause });
}
