import type { AnyClass, ConcreteClass } from '../metadata/class-types.js';
import type { ListenerFunction } from './listener-options.js';
import type { NormalizedListenerOptions } from './normalize-options.js';

/** One registered listener: a class method or a closure, with what it listens to. */
export interface ListenerDefinition {
  /** Wire name (unique per app; what a queued job stores). */
  readonly name: string;
  /** The class the container builds, or undefined for a closure. */
  readonly target: ConcreteClass | undefined;
  /** The method called on the instance (`handle`, or a subscriber method). */
  readonly method: string;
  /** The closure, for `listen(target, fn)`. */
  readonly fn: ListenerFunction<object> | undefined;
  /** Event classes listened to. */
  readonly events: readonly AnyClass[];
  /** Wire-name patterns listened to (`*` matches anything, dots included). */
  readonly patterns: readonly string[];
  readonly options: NormalizedListenerOptions;
  /** The declaring file, for messages. */
  readonly file: string | undefined;
  /** Registration order: ties in `order` run in this order. */
  readonly sequence: number;
}

/** A human label for messages: `listener SendMail (class SendMail, src/listeners/send-mail.ts)`. */
export function describeListener(
  definition: Pick<ListenerDefinition, 'name' | 'file'> &
    Partial<Pick<ListenerDefinition, 'target' | 'method'>>,
): string {
  // Name the class (and method) too: two listeners given the same { name } may share a file, so
  // the duplicate_name error must say which classes clash (test/unit/boot/boot-errors.test.ts:
  // "two listeners given one { name } fail with duplicate_name naming both classes").
  const where: string[] = [];
  if (definition.target !== undefined) {
    const method =
      definition.method === undefined || definition.method === 'handle' ? '' : `.${definition.method}`;
    where.push(`class ${definition.target.name}${method}`);
  }
  if (definition.file !== undefined) where.push(definition.file);
  return where.length === 0
    ? `listener ${definition.name}`
    : `listener ${definition.name} (${where.join(', ')})`;
}
