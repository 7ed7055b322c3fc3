import type { AnyClass, ConcreteClass } from '../metadata/class-types.js';
import type { ListenerContext } from './listener-context.js';

/** The instance type(s) a listener target stands for: one class, or a union for an array. */
export type EventsOf<T> = T extends readonly AnyClass[]
  ? InstanceType<T[number]>
  : T extends AnyClass
    ? InstanceType<T>
    : never;

/**
 * A function property, not a method: TypeScript checks method parameters bivariantly, which
 * would let `handle(e: SomethingElse)` through. A property is checked strictly.
 */
export type HandlerFunction<E> = (event: E, ctx: ListenerContext) => unknown;

/** A listener class whose `handle` accepts `E`. */
export type ListenerClassFor<E> = ConcreteClass<{ handle: HandlerFunction<E> }>;

/**
 * A method decorator that only accepts a method taking `E`. Generic over the method's own type:
 * `TypedPropertyDescriptor` is invariant (its `set`), so a fixed descriptor type would reject
 * every method whose parameter is narrower than the declared one.
 */
export type MethodDecoratorFor<E> = <F extends HandlerFunction<E>>(
  target: object,
  propertyKey: string | symbol,
  descriptor: TypedPropertyDescriptor<F>,
) => void;
