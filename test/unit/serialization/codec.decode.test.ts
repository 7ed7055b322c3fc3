import { describe, expect, it } from 'vitest';
import { decodePayload } from '../../../src/serialization/decode-payload.js';
import { decodeJson, expectRefusal, prototypeSnapshot, resolver } from './codec-fixtures.js';

describe('decodePayload() on hostile and malformed input', () => {
  it('refuses an unknown class wire name, naming it and pointing at the deploy', () => {
    expectRefusal(
      () => decodeJson('{"a":[{"$t":"cls","n":"billing.Invoice","v":{}}]}'),
      'bad_payload',
      'event.a[0] holds an instance of "billing.Invoice"',
      'deploy',
    );
  });

  it('never resolves wire names through Object.prototype', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expectRefusal(() => decodePayload({ $t: 'cls', n: name, v: {} }, resolver), 'bad_payload', `"${name}"`);
    }
  });

  it('refuses __proto__ keys anywhere and leaves Object.prototype untouched', () => {
    const before = prototypeSnapshot();
    const hostile = [
      ['{"__proto__":{"polluted":1}}', 'event.__proto__'],
      ['{"a":{"b":[{"__proto__":{"polluted":1}}]}}', 'event.a.b[0].__proto__'],
      ['{"$t":"obj","v":{"$t":1,"__proto__":{"polluted":1}}}', 'event.__proto__'],
      ['{"$t":"nobj","v":{"__proto__":{"polluted":1}}}', 'event.__proto__'],
      ['{"$t":"cls","n":"Money","v":{"__proto__":{"polluted":1}}}', 'event.__proto__'],
      ['{"$t":"map","v":[["k",{"__proto__":{"polluted":1}}]]}', 'event.get("k").__proto__'],
      ['{"$t":"set","v":[{"__proto__":{"polluted":1}}]}', 'event.values()[0].__proto__'],
      ['{"x":{"$t":"map","v":[[{"__proto__":{"polluted":1}},1]]}}', 'event.x.keys()[0].__proto__'],
    ] as const;
    for (const [json, path] of hostile) {
      expectRefusal(() => decodeJson(json), 'bad_payload', `${path} is a "__proto__" key`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeSnapshot()).toStrictEqual(before);
  });

  it('refuses constructor and prototype keys', () => {
    expectRefusal(
      () => decodeJson('{"a":{"constructor":{"prototype":{"polluted":1}}}}'),
      'bad_payload',
      'event.a.constructor is a "constructor" key',
    );
    expectRefusal(
      () => decodeJson('{"$t":"cls","n":"Money","v":{"prototype":1}}'),
      'bad_payload',
      'event.prototype',
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses unknown tags and tagged nodes of the wrong shape, naming the path', () => {
    const cases = [
      ['{"a":{"$t":"regexp","v":"x"}}', 'event.a has an unknown tag "regexp"'],
      ['{"a":{"$t":7}}', 'event.a has an unknown tag 7'],
      ['{"a":{"$t":"und","v":1}}', 'event.a is a malformed "und" node'],
      ['{"a":{"$t":"date"}}', 'event.a is a malformed "date" node'],
      ['{"a":{"$t":"date","v":"2024-01-01","x":1}}', 'event.a is a malformed "date" node'],
      ['{"a":{"$t":"num","v":"1e3"}}', 'event.a is a malformed "num" node'],
      ['{"a":{"$t":"date","v":"tomorrow"}}', 'ISO 8601'],
      ['{"a":{"$t":"date","v":"2024-13-45T99:00:00.000Z"}}', 'ISO 8601'],
      ['{"a":{"$t":"date","v":1}}', 'ISO 8601'],
      ['{"a":{"$t":"big","v":"12x"}}', 'decimal integer'],
      ['{"a":{"$t":"big","v":12}}', 'decimal integer'],
      ['{"a":{"$t":"big","v":"0x10"}}', 'decimal integer'],
      ['{"a":{"$t":"u8","v":"not base64!"}}', 'base64'],
      ['{"a":{"$t":"buf","v":"abc"}}', 'base64'],
      ['{"a":{"$t":"map","v":{}}}', 'v must be an array'],
      ['{"a":{"$t":"map","v":[[1]]}}', 'event.a.keys()[0] is a malformed "map" node'],
      ['{"a":{"$t":"map","v":[1]}}', '[key, value]'],
      ['{"a":{"$t":"set","v":"x"}}', 'v must be an array'],
      ['{"a":{"$t":"obj","v":[]}}', 'v must be an object'],
      ['{"a":{"$t":"nobj","v":null}}', 'v must be an object'],
      ['{"a":{"$t":"cls","n":1,"v":{}}}', 'n must be a class wire name'],
      ['{"a":{"$t":"cls","n":"Money","v":[]}}', 'v must be an object'],
      ['{"a":{"$t":"cls","v":{}}}', 'exactly the keys $t, n, v'],
      [
        '{"a":[0,{"b":{"$t":"set","v":[{"$t":"nope"}]}}]}',
        'event.a[1].b.values()[0] has an unknown tag "nope"',
      ],
    ] as const;
    for (const [json, fragment] of cases) {
      expectRefusal(() => decodeJson(json), 'bad_payload', fragment);
    }
  });

  it('refuses values that JSON cannot produce', () => {
    for (const value of [undefined, () => 1, Symbol('x'), 1n, new Date(0), { a: new Map() }]) {
      expectRefusal(() => decodePayload(value, resolver), 'bad_payload', 'JSON');
    }
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    const json = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    expectRefusal(() => decodeJson(json), 'bad_payload', 'nested deeper than 1000 levels');
  });

  it('decodes plain JSON unchanged', () => {
    const json = { a: [1, 'two', null, true, { b: {} }], c: -0.5 };
    expect(decodePayload(json, resolver)).toStrictEqual(json);
  });
});
