import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/errors.js';
import { Event } from '../../../src/events/event-decorator.js';
import { decodePayload } from '../../../src/serialization/decode-payload.js';
import { encodePayload, encodePayloadMeasured } from '../../../src/serialization/encode-payload.js';
import { Serializable } from '../../../src/serialization/serializable-decorator.js';
import { registryOf } from './codec-fixtures.js';

let constructed = 0;

@Serializable()
class Money {
  constructor(
    readonly cents: bigint,
    readonly currency: string,
  ) {
    constructed++;
  }
}

@Serializable()
class Box {
  constructor(readonly content: unknown) {
    constructed++;
  }
}

/** Instances carry arbitrary own properties, "$t" included. */
@Serializable('property.bag')
class Bag {}

@Event('property.wrapped')
class Wrapped {
  constructor(readonly payload: unknown) {
    constructed++;
  }
}

const resolver = registryOf([Money, Box, Bag, Wrapped]);

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Keys biased towards the codec's own words, so escaping is exercised often. */
const key = fc.oneof(
  fc.constantFrom('$t', 'v', 'n', 'und', 'cls'),
  fc.string().filter((name) => !FORBIDDEN.has(name)),
);

/**
 * Keys of a class instance's own data: never the name of a method on its prototype chain
 * (`toString`, `valueOf`...), which the codec refuses by design (codec.edges.test.ts).
 */
const instanceKey = key.filter((name) => !(name in Object.prototype));

const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.bigInt(),
  fc.date(),
  fc.uint8Array({ maxLength: 8 }),
  fc.uint8Array({ maxLength: 8 }).map((bytes) => Buffer.from(bytes)),
);

const { value: serializable } = fc.letrec<{ value: unknown }>((tie) => {
  const child = tie('value');
  return {
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(child, { maxLength: 4 }),
      fc.dictionary(key, child, { maxKeys: 4 }),
      fc.array(fc.tuple(child, child), { maxLength: 3 }).map((entries) => new Map(entries)),
      fc.array(child, { maxLength: 3 }).map((items) => new Set(items)),
      fc.tuple(fc.bigInt(), fc.string()).map(([cents, currency]) => new Money(cents, currency)),
      child.map((content) => new Box(content)),
      fc.dictionary(instanceKey, child, { maxKeys: 3 }).map((props) => Object.assign(new Bag(), props)),
      child.map((payload) => new Wrapped(payload)),
    ),
  };
});

function throughJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

/** Object.prototype and Array.prototype as key → value pairs, to detect any write. */
function prototypeSnapshot(): Array<[PropertyKey, unknown]> {
  return [Object.prototype, Array.prototype].flatMap((proto) =>
    Reflect.ownKeys(proto).map((name): [PropertyKey, unknown] => {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      return [name, descriptor?.get ?? descriptor?.value];
    }),
  );
}

function expectPrototypesUntouched(before: Array<[PropertyKey, unknown]>): void {
  const after = prototypeSnapshot();
  expect(after.length).toBe(before.length);
  after.forEach(([name, value], index) => {
    expect(name).toBe(before[index]?.[0]);
    expect(Object.is(value, before[index]?.[1])).toBe(true);
  });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

const ALLOWED_PROTOTYPES = new Set<unknown>([
  Object.prototype,
  null,
  Array.prototype,
  Date.prototype,
  Map.prototype,
  Set.prototype,
  Uint8Array.prototype,
  Buffer.prototype,
  ...[Money, Box, Bag, Wrapped].map((target) => target.prototype),
]);

/** Every object in a decoded value has an expected prototype and no prototype-reaching key. */
function expectSafeShape(value: unknown): void {
  if (typeof value !== 'object' || value === null) return;
  expect(ALLOWED_PROTOTYPES.has(Object.getPrototypeOf(value))).toBe(true);
  for (const name of FORBIDDEN) expect(Object.hasOwn(value, name)).toBe(false);
  if (value instanceof Map) {
    for (const [entryKey, entryValue] of value) {
      expectSafeShape(entryKey);
      expectSafeShape(entryValue);
    }
  } else if (value instanceof Set) {
    for (const item of value) expectSafeShape(item);
  } else if (!(value instanceof Uint8Array)) {
    for (const item of Object.values(value)) expectSafeShape(item);
  }
}

describe('payload codec properties', () => {
  it('decode(JSON round trip of encode(x)) deep-equals x for every supported value', () => {
    fc.assert(
      fc.property(serializable, (value) => {
        const before = constructed;
        const decoded = decodePayload(throughJson(encodePayload({ value }, resolver)), resolver);
        expect(decoded).toStrictEqual({ value });
        expect(constructed).toBe(before);
      }),
      { numRuns: 300 },
    );
  });

  it('encodePayload() output is JSON-safe: a JSON round trip leaves it equal', () => {
    fc.assert(
      fc.property(serializable, (value) => {
        const encoded = encodePayload({ value }, resolver);
        expect(throughJson(encoded)).toStrictEqual(encoded);
      }),
    );
  });

  it('encodePayloadMeasured() bounds the JSON size in bytes from above (what maxPayloadBytes trusts)', () => {
    fc.assert(
      fc.property(serializable, (value) => {
        const { payload, maxBytes } = encodePayloadMeasured({ value }, resolver);
        expect(maxBytes).toBeGreaterThanOrEqual(Buffer.byteLength(JSON.stringify(payload)));
      }),
      { numRuns: 300 },
    );
  });

  it('encodePayload() on anything either round-trips or refuses with not_serializable', () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withTypedArray: true,
      withBoxedValues: true,
      withSparseArray: true,
      values: [
        fc.oneof(fc.string(), fc.double(), fc.constant(undefined)),
        fc.func(fc.integer()),
        fc.string().map(Symbol),
      ],
    });
    fc.assert(
      fc.property(anything, (value) => {
        let encoded: unknown;
        try {
          encoded = encodePayload({ value }, resolver);
        } catch (error) {
          expect(HeraldError.is(error, 'not_serializable')).toBe(true);
          return;
        }
        // toEqual: sparse-array holes come back as undefined elements, which is documented.
        expect(decodePayload(throughJson(encoded), resolver)).toEqual({ value });
      }),
      { numRuns: 300 },
    );
  });

  it('decodePayload() on arbitrary JSON decodes or throws bad_payload, and never pollutes a prototype', () => {
    const hostileKey = fc.oneof(
      fc.constantFrom('$t', 'v', 'n', '__proto__', 'constructor', 'prototype', 'toString', 'polluted'),
      fc.string(),
    );
    const text = fc.constantFrom(
      'NaN',
      '-0',
      'Infinity',
      '2024-01-01T00:00:00.000Z',
      'AQ==',
      'abc',
      '-12',
      'x1',
    );
    const tag = fc.oneof(
      fc.constantFrom('und', 'num', 'date', 'big', 'map', 'set', 'u8', 'buf', 'obj', 'nobj', 'cls', 'nope'),
      fc.string(),
      fc.integer(),
    );
    const wireName = fc.constantFrom(
      'Money',
      'Box',
      'property.bag',
      'Unknown',
      '__proto__',
      'constructor',
      'toString',
    );
    const { json } = fc.letrec<{ json: unknown }>((tie) => ({
      json: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.oneof(fc.jsonValue({ maxDepth: 0 }), text),
        fc.array(tie('json'), { maxLength: 4 }),
        fc.dictionary(hostileKey, tie('json'), { maxKeys: 4 }),
        fc.record({ $t: tag, v: tie('json') }, { requiredKeys: ['$t'] }),
        fc.record({ $t: fc.constant('cls'), n: wireName, v: tie('json') }, { requiredKeys: ['$t'] }),
      ),
    }));
    // Text-level wrappers put a literal "__proto__" key in front of the generated JSON, the way
    // a hostile producer would write it (JSON.parse makes it an own property).
    const wrappers = fc.constantFrom(
      (inner: string) => inner,
      (inner: string) => `{"__proto__":${inner}}`,
      (inner: string) => `{"a":[{"__proto__":${inner}}]}`,
      (inner: string) => `{"$t":"cls","n":"Box","v":{"__proto__":${inner}}}`,
      (inner: string) => `{"$t":"map","v":[["k",{"constructor":{"prototype":${inner}}}]]}`,
    );
    const before = prototypeSnapshot();
    fc.assert(
      fc.property(json, wrappers, (value, wrap) => {
        const parsed: unknown = JSON.parse(wrap(JSON.stringify(value) ?? 'null'));
        let decoded: unknown;
        try {
          decoded = decodePayload(parsed, resolver);
        } catch (error) {
          expect(HeraldError.is(error, 'bad_payload')).toBe(true);
          expectPrototypesUntouched(before);
          return;
        }
        expectSafeShape(decoded);
        expectPrototypesUntouched(before);
      }),
      { numRuns: 1000 },
    );
  });
});
