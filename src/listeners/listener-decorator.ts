import { callerFile } from '../metadata/caller-file.js';
import type { AnyClass } from '../metadata/class-types.js';
import { recordDecoration } from '../metadata/decoration-log.js';
import { declareListener, type ListenTargets } from './decorator-declarations.js';
import type { ListenerOptions } from './listener-options.js';
import type { EventsOf, ListenerClassFor } from './listener-typing.js';

/**
 * Marks a class as a listener. Four forms:
 *
 * - `@Listener(OrderShipped, options?)`: one event; `handle` must accept it (checked by tsc);
 * - `@Listener([A, B], options?)`: several events; `handle` takes `A | B`;
 * - `@Listener('orders.*', options?)`: every event whose wire name matches the pattern;
 * - `@Listener(options?)`: the event is inferred from `handle`'s parameter type, which TypeScript
 *   only emits when `handle` is decorated: mark it `@On()`.
 *
 * A `queue` or `connection` option makes the listener queued. The class is bound in the app's
 * container and built by it, so constructor injection works; no `@injectable()` needed.
 *
 * @example
 * @Listener(OrderShipped, { queue: 'emails', tries: 3 })
 * export class SendShipmentNotification {
 *   constructor(@inject(Mailer) private readonly mailer: Mailer) {}
 *   async handle(event: OrderShipped) { await this.mailer.send(event.orderId); }
 * }
 */
export function Listener<const T extends AnyClass | readonly AnyClass[]>(
  events: T,
  options?: ListenerOptions<EventsOf<T>>,
): <C extends ListenerClassFor<EventsOf<T>>>(target: C) => void;
export function Listener(
  pattern: string,
  options?: ListenerOptions<object>,
): <C extends ListenerClassFor<never>>(target: C) => void;
export function Listener(
  options?: ListenerOptions<object>,
): <C extends ListenerClassFor<never>>(target: C) => void;
export function Listener(
  eventsOrOptions?: AnyClass | readonly AnyClass[] | string | ListenerOptions<object>,
  maybeOptions?: ListenerOptions<object>,
): (target: AnyClass) => void {
  const { targets, options } = splitArguments(eventsOrOptions, maybeOptions);
  return (target) => {
    const file = callerFile();
    declareListener(target, { targets, options, file });
    recordDecoration(target, file);
  };
}

/** Sorts the overloads' arguments into targets and options, leaving validation to boot. */
export function splitArguments(
  first: unknown,
  second: unknown,
): { targets: ListenTargets; options: unknown } {
  if (typeof first === 'function' || typeof first === 'string')
    return { targets: [first as AnyClass], options: second };
  if (Array.isArray(first)) return { targets: [...(first as AnyClass[])], options: second };
  return { targets: 'infer', options: first };
}
