/** Any class (constructor function) herald can hold a reference to. */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are unknowable here; `never[]` would reject every concrete class in a conditional check.
export type AnyClass<T = object> = abstract new (...args: any[]) => T;

/** A class herald can instantiate (listeners are built by the container, never by herald). */
// biome-ignore lint/suspicious/noExplicitAny: see AnyClass.
export type ConcreteClass<T = object> = new (...args: any[]) => T;
