import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodePayload } from '../../../src/serialization/decode-payload.js';
import { encodePayload } from '../../../src/serialization/encode-payload.js';
import { Serializable } from '../../../src/serialization/serializable-decorator.js';
import {
  AuditNote,
  constructed,
  expectRefusal,
  Guarded,
  GuardedChild,
  LineItem,
  Money,
  OrderBatchShipped,
  OrderShipped,
  registryOf,
  resolver,
  roundTrip,
  roundTripValue,
  Undecorated,
} from './codec-fixtures.js';

describe('encodePayload() / decodePayload() round trips', () => {
  it('round-trips strings, booleans, null and finite numbers unchanged', () => {
    const value = {
      s: 'héllo \u{1f600} \ud800',
      empty: '',
      t: true,
      f: false,
      n: null,
      i: 42,
      x: -1.5e-300,
      big: 1e308,
    };
    expect(roundTrip(value)).toStrictEqual(value);
  });

  it('round-trips NaN, Infinity, -Infinity and -0', () => {
    const decoded = roundTrip({ nan: Number.NaN, inf: Infinity, ninf: -Infinity, nzero: -0, zero: 0 });
    expect(decoded.nan).toBeNaN();
    expect(decoded.inf).toBe(Infinity);
    expect(decoded.ninf).toBe(-Infinity);
    expect(Object.is(decoded.nzero, -0)).toBe(true);
    expect(Object.is(decoded.zero, 0)).toBe(true);
  });

  it('keeps an undefined-valued key distinct from a missing key', () => {
    const decoded = roundTrip({ present: undefined, other: 1 } as Record<string, unknown>);
    expect(Object.hasOwn(decoded, 'present')).toBe(true);
    expect(decoded.present).toBeUndefined();
    expect(Object.hasOwn(decoded, 'missing')).toBe(false);
  });

  it('round-trips undefined array elements and reads holes as undefined', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what this test is about.
    const decoded = roundTripValue([1, undefined, , 3]);
    expect(decoded).toStrictEqual([1, undefined, undefined, 3]);
    expect(Object.hasOwn(decoded, 2)).toBe(true);
  });

  it('round-trips Dates, including an invalid Date and extended years', () => {
    const decoded = roundTripValue([
      new Date(0),
      new Date('2024-02-29T23:59:59.999Z'),
      new Date(8.64e15),
      new Date(-8.64e15),
    ]);
    expect(decoded.map((date) => date.getTime())).toStrictEqual([
      0,
      Date.parse('2024-02-29T23:59:59.999Z'),
      8.64e15,
      -8.64e15,
    ]);
    const invalid = roundTripValue(new Date(Number.NaN));
    expect(invalid).toBeInstanceOf(Date);
    expect(invalid.getTime()).toBeNaN();
  });

  it('round-trips BigInts of any size and sign', () => {
    const values = [0n, -1n, 2n ** 200n, -(3n ** 99n)];
    expect(roundTripValue(values)).toStrictEqual(values);
  });

  it('round-trips Maps with object, primitive and undefined keys', () => {
    const objectKey = { id: 1 };
    const map = new Map<unknown, unknown>([
      [objectKey, 'object'],
      ['__proto__', 'a string key named __proto__ is harmless in a Map'],
      [1n, new Date(5)],
      [undefined, null],
      [Number.NaN, [1, 2]],
    ]);
    const decoded = roundTripValue(map);
    expect(decoded).toBeInstanceOf(Map);
    expect(decoded).toStrictEqual(map);
    expect([...decoded.keys()][0]).toStrictEqual(objectKey);
  });

  it('round-trips Sets, nested ones included', () => {
    const set = new Set<unknown>([1, 'a', undefined, new Set([2n]), { deep: [true] }]);
    expect(roundTripValue(set)).toStrictEqual(set);
  });

  it('round-trips a Uint8Array as a Uint8Array, also when it views part of a larger buffer', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 255, 0, 9]);
    const view = backing.subarray(2, 6);
    const decoded = roundTripValue(view);
    expect(Object.getPrototypeOf(decoded)).toBe(Uint8Array.prototype);
    expect([...decoded]).toStrictEqual([1, 2, 255, 0]);
    expect(roundTripValue(new Uint8Array(0))).toStrictEqual(new Uint8Array(0));
  });

  it('round-trips a Buffer as a Buffer', () => {
    const decoded = roundTripValue(Buffer.from('héllo, wörld'));
    expect(Buffer.isBuffer(decoded)).toBe(true);
    expect(decoded.toString()).toBe('héllo, wörld');
  });

  it('round-trips nested arrays and plain objects', () => {
    const value = { a: [[1, [2, { b: [] }]], {}], c: { d: { e: { f: 'g' } } } };
    expect(roundTrip(value)).toStrictEqual(value);
  });

  it('round-trips null-prototype objects with their null prototype', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, nested: { b: 2 } });
    const decoded = roundTripValue(bare);
    expect(Object.getPrototypeOf(decoded)).toBeNull();
    expect({ ...decoded }).toStrictEqual({ a: 1, nested: { b: 2 } });
  });

  it('encodes a plain object of primitives as an equal copy, and its output survives JSON', () => {
    const value = { id: 'o-1', total: 12.5, paid: true, note: null };
    const encoded = encodePayload(value, resolver);
    expect(encoded).toStrictEqual(value);
    expect(encoded).not.toBe(value);
    const tricky = encodePayload(
      { a: [undefined, Number.NaN, 1n, new Map([[{}, new Set([new Date(1)])]])] },
      resolver,
    );
    expect(JSON.parse(JSON.stringify(tricky))).toStrictEqual(tricky);
  });

  it('duplicates a value referenced twice without a cycle', () => {
    const shared = { name: 'shared' };
    const decoded = roundTrip({ first: shared, second: shared, list: [shared, shared] });
    expect(decoded.first).toStrictEqual(shared);
    expect(decoded.second).toStrictEqual(shared);
    expect(decoded.list).toStrictEqual([shared, shared]);
  });
});

describe('class instances', () => {
  it('revives an event with nested @Serializable instances, keeping prototypes without running constructors', () => {
    const event = new OrderShipped('o-1', [new LineItem('sku-1', new Money(1250n, 'EUR'))]);
    const before = constructed;
    const decoded = roundTrip(event);
    expect(constructed).toBe(before);
    expect(decoded).toBeInstanceOf(OrderShipped);
    expect(decoded).toStrictEqual(event);
    expect(decoded.items[0]).toBeInstanceOf(LineItem);
    expect(decoded.items[0]?.price).toBeInstanceOf(Money);
    expect(decoded.items[0]?.price.format()).toBe('1250 EUR');
    expect(decoded.itemCount).toBe(1);
    expect(decoded.shippedAt).toStrictEqual(new Date('2024-05-01T10:00:00.000Z'));
  });

  it('revives events nested inside an event', () => {
    const batch = new OrderBatchShipped([new OrderShipped('o-1', []), new OrderShipped('o-2', [])]);
    const decoded = roundTrip(batch);
    expect(decoded).toBeInstanceOf(OrderBatchShipped);
    expect(decoded.orders.map((order) => order instanceof OrderShipped)).toStrictEqual([true, true]);
    expect(decoded).toStrictEqual(batch);
  });

  it('writes the wire name, preferring the @Event name over the @Serializable one', () => {
    expect(encodePayload(new OrderShipped('o-1', []), resolver)).toMatchObject({
      $t: 'cls',
      n: 'orders.shipped',
    });
    expect(encodePayload(new AuditNote('x'), resolver)).toMatchObject({ $t: 'cls', n: 'audit.noted' });
    // Revived under its @Serializable name too: the app's codec learns that name on first use.
    const fromSerializableName = { $t: 'cls', n: 'audit.note', v: { text: 'y' } };
    expect(decodePayload(fromSerializableName, registryOf([AuditNote]).payloadClasses)).toBeInstanceOf(
      AuditNote,
    );
  });

  it('sends only own enumerable properties: getters and methods stay on the prototype', () => {
    const encoded = encodePayload(new OrderShipped('o-1', []), resolver) as { v: Record<string, unknown> };
    expect(Object.keys(encoded.v).sort()).toStrictEqual(['items', 'orderId', 'shippedAt']);
  });

  it('defines revived properties instead of assigning them, so prototype setters do not run', () => {
    const decoded = decodePayload(
      { $t: 'cls', n: 'Guarded', v: { name: 'x', calls: 0 } },
      resolver,
    ) as Guarded;
    expect(decoded).toBeInstanceOf(Guarded);
    expect(Object.getOwnPropertyDescriptor(decoded, 'name')?.value).toBe('x');
  });

  it('defines over inherited setters and read-only getters too, and assigns the rest as plain data', () => {
    const decoded = decodePayload(
      { $t: 'cls', n: 'GuardedChild', v: { name: 'x', label: 'own', calls: 2 } },
      resolver,
    ) as GuardedChild;
    expect(decoded).toBeInstanceOf(GuardedChild);
    expect(decoded.label).toBe('own');
    for (const key of ['name', 'label', 'calls']) {
      expect(Object.getOwnPropertyDescriptor(decoded, key), key).toMatchObject({
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    expect(Object.getOwnPropertyDescriptor(decoded, 'calls')?.value).toBe(2);
  });

  it('escapes a "$t" key inside a class instance and a null-prototype object', () => {
    const note = Object.assign(new AuditNote('x'), { $t: 'cls' });
    expect(roundTrip(note)).toStrictEqual(note);
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { $t: 'und' });
    expect(roundTripValue(bare).$t).toBe('und');
  });
});

describe('escaping user objects that contain the tag key', () => {
  it('round-trips plain objects that look like tagged nodes', () => {
    const lookalikes = [
      { $t: 'und' },
      { $t: 'date', v: '2024-01-01T00:00:00.000Z' },
      { $t: 'cls', n: 'orders.shipped', v: { orderId: 'x' } },
      { $t: 'obj', v: { $t: 'obj', v: {} } },
      { $t: 42, other: [{ $t: null }] },
    ];
    expect(roundTripValue(lookalikes)).toStrictEqual(lookalikes);
  });

  it('never revives a class from a user object that imitates a class node', () => {
    const decoded = roundTripValue({ $t: 'cls', n: 'orders.shipped', v: {} });
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
  });
});
describe('EventRegistry as the class resolver', () => {
  it('maps classes to wire names and back, and knows nothing else', () => {
    expect(resolver.nameOf(LineItem)).toBe('shop.line-item');
    expect(resolver.classFor('shop.line-item')).toBe(LineItem);
    expect(resolver.nameOf(Undecorated)).toBeUndefined();
    expect(resolver.classFor('__proto__')).toBeUndefined();
    expect(resolver.classFor('toString')).toBeUndefined();
  });

  it('refuses two classes with one wire name, with the same message as at boot', () => {
    @Serializable('Money')
    class OtherMoney {}
    expectRefusal(
      () => registryOf([Money, OtherMoney]),
      'duplicate_name',
      'Two classes claim the wire name "Money"',
      'OtherMoney',
    );
  });

  it('accepts the same class twice', () => {
    expect(registryOf([Money, Money]).nameOf(Money)).toBe('Money');
  });

  it('learns nothing from a class with neither decorator', () => {
    const registry = registryOf([]);
    expect(registry.learnClass(Undecorated)).toBeUndefined();
    expect(registry.nameOf(Undecorated)).toBeUndefined();
  });
});
