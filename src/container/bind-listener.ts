import { type Container, injectable } from 'inversify';
import type { ConcreteClass } from '../metadata/class-types.js';

// inversify's own flag; reading it lets herald apply @injectable() only when the user has not,
// since inversify refuses the decorator twice on one class.
const INJECTABLE_FLAG = '@inversifyjs/core/classIsInjectableFlagReflectKey';

/** Makes a listener class buildable by inversify without the user adding `@injectable()`. */
export function makeInjectable(target: ConcreteClass): void {
  if (Reflect.getOwnMetadata(INJECTABLE_FLAG, target) === undefined) injectable()(target);
}

/**
 * Binds a listener class in the container in its scope, unless the app bound it already (the
 * user's binding wins, e.g. a test double).
 */
export function bindListener(
  container: Container,
  target: ConcreteClass,
  scope: 'singleton' | 'transient',
): void {
  makeInjectable(target);
  if (container.isBound(target)) return;
  const binding = container.bind(target).toSelf();
  if (scope === 'transient') binding.inTransientScope();
  else binding.inSingletonScope();
}
