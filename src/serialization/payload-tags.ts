/**
 * The tag key of the payload codec. An encoded object that owns this key is a tagged node;
 * a user's plain object that happens to own it is escaped as an `obj` node, so it round-trips.
 */
export const TAG_KEY = '$t';

/**
 * Every tagged node the codec writes. `v` holds the value, `n` a class wire name:
 *
 * - `{ $t: 'und' }` undefined (object property value, array element, Map/Set entry)
 * - `{ $t: 'num', v: 'NaN' | 'Infinity' | '-Infinity' | '-0' }` numbers JSON cannot hold
 * - `{ $t: 'date', v: '<ISO 8601>' | null }` a Date; `null` is an invalid Date
 * - `{ $t: 'big', v: '-123' }` a BigInt in decimal
 * - `{ $t: 'map', v: [[key, value], ...] }` and `{ $t: 'set', v: [item, ...] }`
 * - `{ $t: 'u8', v: '<base64>' }` a Uint8Array, `{ $t: 'buf', v: '<base64>' }` a Buffer
 * - `{ $t: 'obj', v: {...} }` a plain object that owns a `$t` key (keys of `v` are literal)
 * - `{ $t: 'nobj', v: {...} }` an object with a null prototype
 * - `{ $t: 'cls', n: '<wire name>', v: {...} }` an `@Event` / `@Serializable` instance
 */
export const TAGS = {
  undefined: 'und',
  number: 'num',
  date: 'date',
  bigint: 'big',
  map: 'map',
  set: 'set',
  uint8Array: 'u8',
  buffer: 'buf',
  escapedObject: 'obj',
  nullPrototypeObject: 'nobj',
  classInstance: 'cls',
} as const;

/**
 * Property names the codec refuses on every object, both ways. Writing them onto a fresh object
 * could change its prototype (`__proto__`) or shadow what code reaches through `constructor` /
 * `prototype`, which is how prototype pollution starts.
 */
export function isForbiddenKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

/**
 * How deep the codec follows nested values. Deeper payloads are refused with a HeraldError
 * instead of overflowing the call stack (hostile JSON can nest arbitrarily deep).
 */
export const MAX_DEPTH = 1000;
