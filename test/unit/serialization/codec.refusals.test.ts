import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/errors.js';
import { encodePayload } from '../../../src/serialization/encode-payload.js';
import {
  expectRefusal,
  KnownToNobody,
  LineItem,
  Money,
  OrderShipped,
  registryOf,
  resolver,
  Undecorated,
} from './codec-fixtures.js';

describe('encodePayload() refusals', () => {
  it('refuses a function and names its path', () => {
    const event = { items: [0, 1, { owner: { callback: () => 1 } }] };
    expectRefusal(
      () => encodePayload(event, resolver),
      'not_serializable',
      'event.items[2].owner.callback is a function',
      'class method',
    );
  });

  it('refuses a function inside a registered class instance, naming the path through it', () => {
    const event = new OrderShipped('o-1', [new LineItem('a', new Money(1n, 'EUR'), { notify: () => {} })]);
    expectRefusal(
      () => encodePayload(event, resolver),
      'not_serializable',
      'event.items[0].owner.notify is a function',
    );
  });

  it('refuses a symbol value and suggests a string', () => {
    expectRefusal(
      () => encodePayload({ kind: Symbol('paid') }, resolver),
      'not_serializable',
      'event.kind is a symbol (Symbol(paid))',
      'use a string',
    );
  });

  it('refuses an enumerable symbol key and names it', () => {
    const event = { meta: { [Symbol('secret')]: 1 } };
    expectRefusal(
      () => encodePayload(event, resolver),
      'not_serializable',
      'event.meta[Symbol(secret)] has a symbol key',
    );
  });

  it('ignores a non-enumerable symbol key', () => {
    const meta = {};
    Object.defineProperty(meta, Symbol('hidden'), { value: 1, enumerable: false });
    expect(encodePayload({ meta }, resolver)).toStrictEqual({ meta: {} });
  });

  it('refuses an instance of an undecorated class, naming the class and the fix', () => {
    const event = { items: [{ owner: new Undecorated() }] };
    expectRefusal(
      () => encodePayload(event, resolver),
      'not_serializable',
      'event.items[0].owner is an instance of class Undecorated, which is not serializable: decorate it with @Serializable()',
    );
  });

  it('refuses an event that is not registered with the resolver', () => {
    expectRefusal(
      () => encodePayload(new OrderShipped('o', []), registryOf([])),
      'not_serializable',
      'event is an instance of class OrderShipped (wire name "orders.shipped"), which this app does not know',
    );
  });

  it('refuses a decorated class the app does not know, saying to load it', () => {
    expectRefusal(
      () => encodePayload({ x: new KnownToNobody() }, resolver),
      'not_serializable',
      'event.x is an instance of class KnownToNobody',
      'loads the file',
    );
  });

  it('refuses an undecorated subclass of a registered event', () => {
    class SpecialShipment extends OrderShipped {}
    expectRefusal(
      () => encodePayload(new SpecialShipment('o', []), resolver),
      'not_serializable',
      'class SpecialShipment',
    );
  });

  it('refuses unsupported built-ins and lists what is supported', () => {
    for (const [value, name] of [
      [/x/, 'RegExp'],
      [new WeakMap(), 'WeakMap'],
      [new Int32Array(2), 'Int32Array'],
      [new ArrayBuffer(2), 'ArrayBuffer'],
      [new Error('x'), 'Error'],
      [Promise.resolve(), 'Promise'],
      [new String('boxed'), 'String'],
    ] as const) {
      expectRefusal(
        () => encodePayload({ value }, resolver),
        'not_serializable',
        `event.value is an instance of class ${name}`,
        'Uint8Array',
      );
    }
  });

  it('refuses an object built on a prototype that is no class', () => {
    expectRefusal(
      () => encodePayload({ value: Object.create({ a: 1 }) }, resolver),
      'not_serializable',
      'event.value is an object with a custom prototype',
    );
  });

  it('refuses a direct cycle and names both ends', () => {
    const event: Record<string, unknown> = { a: { b: {} } };
    (event.a as { b: Record<string, unknown> }).b.parent = event.a;
    expectRefusal(
      () => encodePayload(event, resolver),
      'not_serializable',
      'event.a.b.parent refers back to event.a',
      'cycle',
    );
  });

  it('refuses a cycle back to the root, through arrays, Maps and Sets', () => {
    const root: Record<string, unknown> = {};
    root.list = [new Map([['k', new Set([root])]])];
    expectRefusal(
      () => encodePayload(root, resolver),
      'not_serializable',
      'event.list[0].get("k").values()[0] refers back to event,',
    );
  });

  it('refuses a cycle through a class instance', () => {
    const item = new LineItem('a', new Money(1n, 'EUR'));
    const event = new OrderShipped('o', [item]);
    (item as { owner: unknown }).owner = event;
    expectRefusal(
      () => encodePayload(event, resolver),
      'not_serializable',
      'event.items[0].owner refers back to event,',
    );
  });

  it('names Map keys and Map values under non-primitive keys by position', () => {
    expectRefusal(
      () => encodePayload({ m: new Map([[() => 1, 1]]) }, resolver),
      'not_serializable',
      'event.m.keys()[0] is a function',
    );
    expectRefusal(
      () =>
        encodePayload(
          {
            m: new Map<object, unknown>([
              [{}, 1],
              [{}, () => 1],
            ]),
          },
          resolver,
        ),
      'not_serializable',
      'event.m.values()[1] is a function',
    );
    expectRefusal(
      () => encodePayload({ m: new Map([[7, Symbol()]]) }, resolver),
      'not_serializable',
      'event.m.get(7) is a symbol',
    );
  });

  it('quotes property names that are not identifiers', () => {
    expectRefusal(
      () => encodePayload({ 'first name': { 'x-y': () => 1 } }, resolver),
      'not_serializable',
      'event["first name"]["x-y"] is a function',
    );
  });

  it('refuses __proto__, constructor and prototype keys that decoding would refuse', () => {
    expectRefusal(
      () => encodePayload(JSON.parse('{"a":{"__proto__":{"x":1}}}') as object, resolver),
      'not_serializable',
      'event.a.__proto__ uses the property name "__proto__"',
      'rename',
    );
    expectRefusal(
      () => encodePayload({ constructor: 'Bob' }, resolver),
      'not_serializable',
      'event.constructor uses the property name',
    );
    expectRefusal(
      () => encodePayload({ a: [{ prototype: 1 }] }, resolver),
      'not_serializable',
      'event.a[0].prototype',
    );
  });

  it('uses the root name given in the options', () => {
    expectRefusal(
      () => encodePayload({ f: () => 1 }, resolver, { root: 'OrderShipped' }),
      'not_serializable',
      'OrderShipped.f is a function',
    );
  });

  it('refuses nesting deeper than the limit instead of overflowing the stack', () => {
    let deep: unknown[] = [];
    const root = deep;
    for (let i = 0; i < 1500; i++) {
      const next: unknown[] = [];
      deep.push(next);
      deep = next;
    }
    expectRefusal(() => encodePayload(root, resolver), 'not_serializable', 'nested deeper than 1000 levels');
  });

  it('throws before producing anything, even when the bad value comes last', () => {
    let result: unknown = 'untouched';
    expect(() => {
      result = encodePayload(
        { big: Array.from({ length: 100 }, (_, i) => ({ i })), last: () => 1 },
        resolver,
      );
    }).toThrow(HeraldError);
    expect(result).toBe('untouched');
  });
});
