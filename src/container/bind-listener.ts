import { type Container, injectable } from 'inversify';
import type { ConcreteClass } from '../metadata/class-types.js';
import { decorationOf } from '../metadata/decoration-log.js';
import { containerFailed } from './container-failed.js';

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
  try {
    bindInScope(container, target, scope);
  } catch (error) {
    // An `autobind` container reads the constructor's metadata as soon as it is asked about the
    // class, so a listener it cannot build fails boot here (test/unit/boot/container-failed.test.ts).
    throw containerFailed({ name: target.name, target, file: decorationOf(target)?.file }, error);
  }
}

function bindInScope(container: Container, target: ConcreteClass, scope: 'singleton' | 'transient'): void {
  if (container.isCurrentBound(target)) return;
  if (container.isBound(target)) {
    // Bound in a parent container: that is the user's binding, keep it. Otherwise an
    // `autobind` container just bound the class itself, as a side effect of isBound(), in its
    // default (transient) scope: replace that with a binding in the listener's own scope, or a
    // singleton listener would be rebuilt on every container.get().
    if (!container.isCurrentBound(target)) return;
    container.unbind(target);
  }
  const binding = container.bind(target).toSelf();
  if (scope === 'transient') binding.inTransientScope();
  else binding.inSingletonScope();
}
