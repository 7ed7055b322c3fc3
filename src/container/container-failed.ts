import { HeraldError } from '../errors.js';
import { describeListener, type ListenerDefinition } from '../listeners/listener-definition.js';

// inversify's message when a constructor parameter has neither @inject nor emitted
// `design:paramtypes` (tsx and other esbuild-based loaders drop decorator metadata).
const MISSING_METADATA = /missing metadata/i;

function fixFor(name: string, reason: string): string {
  if (MISSING_METADATA.test(reason)) {
    return `${name}'s constructor takes parameters, but no decorator metadata was emitted for it, so the container cannot tell what to pass. This happens under loaders that drop metadata (tsx, esbuild, swc without decoratorMetadata). Fix: put @inject(Token) on each constructor parameter, or run with a compiler that emits decorator metadata (tsc with "emitDecoratorMetadata", vitest, jiti, or the herald CLI)`;
  }
  return `Bind what ${name}'s constructor needs in your container (config "container"), or check that the constructor does not throw`;
}

/**
 * The error for a listener the container could not build: kind `container_failed`, naming the
 * listener, the container's reason, and the fix. The original error is the `cause`.
 */
export function containerFailed(
  definition: Pick<ListenerDefinition, 'name' | 'file' | 'target'>,
  error: unknown,
): HeraldError {
  if (HeraldError.is(error, 'container_failed')) return error;
  const reason = (error instanceof Error ? error.message : String(error)).trim().replace(/\.$/, '');
  const className = definition.target?.name ?? definition.name;
  return new HeraldError(
    'container_failed',
    `herald could not build ${describeListener(definition)}: ${reason}. ${fixFor(className, reason)}.`,
    { cause: error },
  );
}
