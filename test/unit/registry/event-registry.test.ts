import { describe, expect, it } from 'vitest';
import { HeraldError } from '../../../src/errors.js';
import { Event } from '../../../src/events/event-decorator.js';
import { EventRegistry } from '../../../src/registry/event-registry.js';
import { Serializable } from '../../../src/serialization/serializable-decorator.js';

@Event('registry.order-placed')
class OrderPlaced {
  constructor(readonly orderId: string) {}
}

@Serializable('registry.address')
class Address {
  constructor(readonly city: string) {}
}

class Plain {}

describe('EventRegistry look-ups register nothing', () => {
  it('nameOf() - a decorated class the app has not registered has no name, and stays unregistered', () => {
    const registry = new EventRegistry();
    expect(registry.nameOf(OrderPlaced)).toBeUndefined();
    expect(registry.nameOf(Address)).toBeUndefined();
    expect(registry.nameOf(OrderPlaced)).toBeUndefined();
    expect(registry.hasEvent(OrderPlaced)).toBe(false);
    expect(registry.events()).toEqual([]);
  });

  it('classFor() - the name of a @Serializable class declared in this process finds nothing until learned', () => {
    const registry = new EventRegistry();
    expect(registry.classFor('registry.address')).toBeUndefined();
    expect(registry.nameOf(Address)).toBeUndefined();
  });

  it('wireNameOf() - says the name an event class would have without registering it', () => {
    const registry = new EventRegistry();
    expect(registry.wireNameOf(OrderPlaced)).toBe('registry.order-placed');
    expect(registry.hasEvent(OrderPlaced)).toBe(false);
    expect(registry.classFor('registry.order-placed')).toBeUndefined();
  });

  it('wireNameOf() - refuses a class that is not an event with unknown_event', () => {
    const registry = new EventRegistry();
    let caught: unknown;
    try {
      registry.wireNameOf(Plain);
    } catch (error) {
      caught = error;
    }
    expect(HeraldError.is(caught, 'unknown_event')).toBe(true);
    expect((caught as Error).message).toContain('Plain is not an event');
    expect(registry.events()).toEqual([]);
  });
});

describe('EventRegistry learns classes only when asked', () => {
  it('learnClass() - registers a decorated class; look-ups find it afterwards', () => {
    const registry = new EventRegistry();
    expect(registry.learnClass(Address)).toBe('registry.address');
    expect(registry.learnClass(OrderPlaced)).toBe('registry.order-placed');
    expect(registry.nameOf(Address)).toBe('registry.address');
    expect(registry.classFor('registry.address')).toBe(Address);
    expect(registry.hasEvent(OrderPlaced)).toBe(true);
    expect(registry.learnClass(Plain)).toBeUndefined();
  });

  it('learnClassNamed() - registers the one @Serializable class declared under a name, never an event', () => {
    const registry = new EventRegistry();
    expect(registry.learnClassNamed('registry.order-placed')).toBeUndefined();
    expect(registry.learnClassNamed('registry.address')).toBe(Address);
    expect(registry.classFor('registry.address')).toBe(Address);
  });

  it('payloadClasses - the codec learns a class met in a payload (encode by class, decode by name)', () => {
    const writer = new EventRegistry();
    expect(writer.payloadClasses.nameOf(Address)).toBe('registry.address');
    expect(writer.nameOf(Address)).toBe('registry.address');
    const reader = new EventRegistry();
    expect(reader.payloadClasses.classFor('registry.address')).toBe(Address);
    expect(reader.classFor('registry.address')).toBe(Address);
    expect(reader.payloadClasses.nameOf(Plain)).toBeUndefined();
  });
});
