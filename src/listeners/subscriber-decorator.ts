import { callerFile } from '../metadata/caller-file.js';
import type { AnyClass } from '../metadata/class-types.js';
import { recordDecoration } from '../metadata/decoration-log.js';
import { declareOn, declareSubscriber } from './decorator-declarations.js';
import { splitArguments } from './listener-decorator.js';
import type { ListenerOptions } from './listener-options.js';
import type { EventsOf, MethodDecoratorFor } from './listener-typing.js';

/**
 * Marks a class whose `@On` methods are listeners (wire name `Class.method`), Laravel's event
 * subscriber. The class is bound in the container like any listener.
 *
 * @example
 * @Subscriber()
 * export class UserEventSubscriber {
 *   @On(UserLoggedIn) onLogin(e: UserLoggedIn) {}
 *   @On(UserLoggedOut, { queue: 'audit' }) onLogout(e: UserLoggedOut) {}
 * }
 */
export function Subscriber(): <T extends AnyClass>(target: T) => void {
  return (target) => {
    const file = callerFile();
    declareSubscriber(target, { file });
    recordDecoration(target, file);
  };
}

/**
 * Makes a method a listener: inside a `@Subscriber`, or `@On()` on the `handle` of a
 * `@Listener()` whose event is inferred. With no event argument, the event is the method's first
 * parameter type (TypeScript emits it because the method is decorated).
 *
 * @example
 * @Listener()
 * export class AuditShipment {
 *   @On() handle(event: OrderShipped) {}
 * }
 */
export function On<const T extends AnyClass | readonly AnyClass[]>(
  events: T,
  options?: ListenerOptions<EventsOf<T>>,
): MethodDecoratorFor<EventsOf<T>>;
export function On(pattern: string, options?: ListenerOptions<object>): MethodDecoratorFor<never>;
export function On(options?: ListenerOptions<object>): MethodDecoratorFor<never>;
export function On(
  eventsOrOptions?: AnyClass | readonly AnyClass[] | string | ListenerOptions<object>,
  maybeOptions?: ListenerOptions<object>,
): (target: object, propertyKey: string | symbol) => void {
  const { targets, options } = splitArguments(eventsOrOptions, maybeOptions);
  return (prototype, propertyKey) => {
    const owner = (typeof prototype === 'function' ? prototype : prototype.constructor) as AnyClass;
    declareOn(owner, { method: String(propertyKey), targets, options });
  };
}
