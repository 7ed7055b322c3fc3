import { HeraldError } from '../errors.js';
import { currentDispatcher } from './current-dispatcher.js';
import type { EventDispatcher } from './event-dispatcher.js';

// biome-ignore lint/suspicious/noExplicitAny: matches ConstructorParameters' own constraint.
type EventConstructor = abstract new (...args: any) => object;

function dispatcher(): EventDispatcher {
  const found = currentDispatcher();
  if (found === undefined) {
    throw new HeraldError(
      'not_booted',
      'herald is not booted: call `await createHerald(config)` before Event.dispatch(...).',
    );
  }
  return found;
}

function build<T extends EventConstructor>(target: T, args: ConstructorParameters<T>): object {
  return new (target as unknown as new (...a: ConstructorParameters<T>) => object)(...args);
}

/**
 * Optional base class for events: adds typed static `dispatch`, `dispatchIf` and
 * `dispatchUnless` that build the event from constructor arguments and dispatch it through the
 * most recently booted app.
 *
 * @example
 * @Event()
 * export class OrderShipped extends Dispatchable {
 *   constructor(readonly orderId: string) { super(); }
 * }
 * await OrderShipped.dispatch('o-1');
 */
// biome-ignore lint/complexity/noStaticOnlyClass: a base class is the point: subclasses inherit typed statics.
export abstract class Dispatchable {
  /** Builds the event from its constructor arguments and dispatches it. */
  static async dispatch<T extends EventConstructor>(
    this: T,
    ...args: ConstructorParameters<T>
  ): Promise<void> {
    await dispatcher().dispatch(build(this, args));
  }

  /** Dispatches when `condition` is true. */
  static async dispatchIf<T extends EventConstructor>(
    this: T,
    condition: boolean | (() => boolean),
    ...args: ConstructorParameters<T>
  ): Promise<void> {
    if (typeof condition === 'function' ? condition() : condition)
      await dispatcher().dispatch(build(this, args));
  }

  /** Dispatches when `condition` is false. */
  static async dispatchUnless<T extends EventConstructor>(
    this: T,
    condition: boolean | (() => boolean),
    ...args: ConstructorParameters<T>
  ): Promise<void> {
    if (!(typeof condition === 'function' ? condition() : condition))
      await dispatcher().dispatch(build(this, args));
  }
}
