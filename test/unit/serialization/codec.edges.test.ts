import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { Event } from '../../../src/events/event-decorator.js';
import { decodePayload } from '../../../src/serialization/decode-payload.js';
import { encodePayload } from '../../../src/serialization/encode-payload.js';
import { Serializable } from '../../../src/serialization/serializable-decorator.js';
import {
  caught,
  decodeJson,
  expectRefusal,
  Money,
  registryOf,
  resolver,
  roundTripValue,
} from './codec-fixtures.js';

describe('classes that extend built-ins', () => {
  it('@Serializable() refuses them at decoration, naming the class and the built-in', () => {
    const bases: [string, () => unknown][] = [
      ['Map', () => Serializable()(class Lookup extends Map {})],
      ['Set', () => Serializable()(class Tags extends Set {})],
      ['Date', () => Serializable()(class Moment extends Date {})],
      ['Array', () => Serializable()(class Items extends Array {})],
      ['a typed array', () => Serializable()(class Bytes extends Uint8Array {})],
      ['a typed array', () => Serializable()(class Floats extends Float64Array {})],
    ];
    for (const [base, decorate] of bases) {
      expectRefusal(decorate, 'not_serializable', `extends ${base}`, 'hold the');
    }
  });

  it('the encoder refuses an instance of one at dispatch, naming the path (an @Event class, say)', () => {
    @Event('edges.lookup')
    class LookupEvent extends Map<string, number> {}
    const known = registryOf([LookupEvent]);
    const event = new LookupEvent([['a', 1]]);
    expectRefusal(
      () => encodePayload(event, known),
      'not_serializable',
      'event is an instance of class LookupEvent extends Map',
    );
    expectRefusal(
      () => encodePayload({ nested: [event] }, known),
      'not_serializable',
      'event.nested[0] is an instance of class LookupEvent extends Map',
    );
  });
});

describe('arrays with named properties', () => {
  it('refuses a named property instead of dropping it, naming the path', () => {
    const list = Object.assign([1, 2], { total: 3 });
    expectRefusal(
      () => encodePayload({ list }, resolver),
      'not_serializable',
      'event.list.total is a named property of an array',
    );
  });

  it('is not fooled by holes: a sparse array with a named property is refused too', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test
    const list = Object.assign([1, , 3], { extra: 'x' });
    expectRefusal(() => encodePayload({ list }, resolver), 'not_serializable', 'event.list.extra');
  });

  it('still encodes plain, sparse and non-enumerably extended arrays', () => {
    // biome-ignore lint/suspicious/noSparseArray: holes decode as undefined, as documented
    expect(roundTripValue([1, , 3])).toEqual([1, undefined, 3]);
    const tagged = [1, 2];
    Object.defineProperty(tagged, 'note', { value: 'not sent', enumerable: false });
    expect(roundTripValue(tagged)).toStrictEqual([1, 2]);
  });
});

describe('getters and Proxy traps that throw', () => {
  it('become not_serializable with the path and the cause, not a raw Error', () => {
    const secret = {
      id: 1,
      get token(): string {
        throw new Error('vault locked');
      },
    };
    const error = caught(() => encodePayload({ user: secret }, resolver));
    expect(error.kind).toBe('not_serializable');
    expect(error.message).toContain(
      'event.user.token could not be read: a getter or Proxy trap threw (Error: vault locked)',
    );
    expect((error.cause as Error).message).toBe('vault locked');
  });

  it('covers get, ownKeys and getPrototypeOf traps and built-ins behind a Proxy', () => {
    const trap = () => {
      throw new TypeError('trap');
    };
    const cases: [unknown, string][] = [
      [new Proxy({ a: 1 }, { get: trap }), 'event.value.a could not be read'],
      [new Proxy({ a: 1 }, { ownKeys: trap }), 'event.value could not be read'],
      [new Proxy({}, { getPrototypeOf: trap }), 'event.value could not be read'],
      [new Proxy(new Map([[1, 2]]), {}), 'event.value could not be read'],
      [new Proxy(new Date(0), {}), 'event.value could not be read'],
    ];
    for (const [value, fragment] of cases) {
      expectRefusal(() => encodePayload({ value }, resolver), 'not_serializable', fragment);
    }
  });
});

describe('decoding dates', () => {
  it('refuses impossible or differently spelled dates instead of rolling them over', () => {
    for (const text of [
      '2024-02-30T00:00:00.000Z',
      '2023-02-29T00:00:00.000Z',
      '2024-04-31T12:00:00.000Z',
      '2024-01-01T24:00:00.000Z',
      '2024-01-01T00:00:00Z',
      '2024-01-01T00:00:00.000+00:00',
      `2024-01-01T00:00:00.000Z${' '.repeat(10)}`,
    ]) {
      expectRefusal(
        () => decodePayload({ at: { $t: 'date', v: text } }, resolver),
        'bad_payload',
        'event.at is a malformed "date" node',
      );
    }
  });

  it('still decodes every date toISOString writes, leap days and extended years included', () => {
    for (const date of [
      new Date('2024-02-29T23:59:59.999Z'),
      new Date(8.64e15),
      new Date(-8.64e15),
      new Date(Date.UTC(-1, 0, 1)),
    ]) {
      expect(roundTripValue(date)).toStrictEqual(date);
    }
  });
});

describe('prototype methods', () => {
  it('decoding never shadows a method of a revived class with payload data', () => {
    for (const name of ['format', 'toString', 'valueOf', 'hasOwnProperty']) {
      expectRefusal(
        () => decodeJson(`{"$t":"cls","n":"Money","v":{"cents":{"$t":"big","v":"1"},"${name}":"x"}}`),
        'bad_payload',
        `event.${name} would shadow the method ${name}() of the revived class`,
      );
    }
    const money = decodeJson('{"$t":"cls","n":"Money","v":{"cents":{"$t":"big","v":"5"},"currency":"EUR"}}');
    expect((money as Money).format()).toBe('5 EUR');
  });

  it('the encoder refuses own data that shadows a method, so such a job is never sent', () => {
    const money = Object.assign(new Money(1n, 'EUR'), { format: 'plain text' });
    expectRefusal(
      () => encodePayload({ money }, resolver),
      'not_serializable',
      'event.money.format is own data that shadows the method format()',
    );
  });

  it('plain objects keep keys such as toString: they decode to exactly what was sent', () => {
    expect(roundTripValue({ toString: 'x', valueOf: 1 })).toStrictEqual({ toString: 'x', valueOf: 1 });
    expect(Buffer.isBuffer(roundTripValue(Buffer.from('ok')))).toBe(true);
  });
});
