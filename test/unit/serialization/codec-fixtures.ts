import { expect } from 'vitest';
import { HeraldError, type HeraldErrorKind } from '../../../src/errors.js';
import { Event } from '../../../src/events/event-decorator.js';
import type { AnyClass } from '../../../src/metadata/class-types.js';
import { EventRegistry } from '../../../src/registry/event-registry.js';
import { decodePayload } from '../../../src/serialization/decode-payload.js';
import { encodePayload } from '../../../src/serialization/encode-payload.js';
import { Serializable } from '../../../src/serialization/serializable-decorator.js';

// Shared by the codec test files: decorated classes, one resolver that knows most of them, and
// helpers that check a refusal's kind and message.

/**
 * An app's registry that knows exactly `classes` (each learned as a payload would): as a class
 * resolver it encodes and revives those and nothing else.
 */
export function registryOf(classes: readonly AnyClass[]): EventRegistry {
  const registry = new EventRegistry();
  for (const target of classes) {
    if (registry.learnClass(target) === undefined) throw new Error(`${target.name} is not decorated`);
  }
  return registry;
}

/** How many fixture constructors ran; revival must not change it. */
export let constructed = 0;

@Serializable()
export class Money {
  constructor(
    readonly cents: bigint,
    readonly currency: string,
  ) {
    constructed++;
  }

  format(): string {
    return `${this.cents} ${this.currency}`;
  }
}

@Serializable('shop.line-item')
export class LineItem {
  constructor(
    readonly sku: string,
    readonly price: Money,
    readonly owner: unknown = undefined,
  ) {
    constructed++;
  }
}

@Event('orders.shipped')
export class OrderShipped {
  shippedAt = new Date('2024-05-01T10:00:00.000Z');

  constructor(
    readonly orderId: string,
    readonly items: LineItem[],
  ) {
    constructed++;
  }

  get itemCount(): number {
    return this.items.length;
  }
}

@Event()
export class OrderBatchShipped {
  constructor(readonly orders: OrderShipped[]) {
    constructed++;
  }
}

@Event('audit.noted')
@Serializable('audit.note')
export class AuditNote {
  constructor(readonly text: string) {}
}

@Serializable()
export class Guarded {
  calls = 0;
  set name(_value: string) {
    throw new Error('setter must not run while decoding');
  }
}

/** Inherits Guarded's throwing setter and adds a getter-only (read-only) property. */
@Serializable()
export class GuardedChild extends Guarded {
  get label(): string {
    return 'from the prototype';
  }
}

@Serializable()
export class KnownToNobody {
  value = 1;
}

export class Undecorated {
  value = 1;
}

export const resolver = registryOf([
  Money,
  LineItem,
  OrderShipped,
  OrderBatchShipped,
  AuditNote,
  Guarded,
  GuardedChild,
]);

export function roundTrip<T>(value: T): T {
  const encoded = encodePayload(value as object, resolver);
  return decodePayload(JSON.parse(JSON.stringify(encoded)), resolver) as T;
}

export function roundTripValue<T>(value: T): T {
  return roundTrip({ value }).value;
}

export function caught(run: () => unknown): HeraldError {
  try {
    run();
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a HeraldError, nothing was thrown');
}

export function expectRefusal(run: () => unknown, kind: HeraldErrorKind, ...fragments: string[]): void {
  const error = caught(run);
  expect(error.kind).toBe(kind);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
}

export function decodeJson(text: string): unknown {
  return decodePayload(JSON.parse(text), resolver);
}

export function prototypeSnapshot(): string[] {
  return [Object.prototype, Array.prototype, Function.prototype].flatMap((proto) =>
    Reflect.ownKeys(proto).map(String),
  );
}
