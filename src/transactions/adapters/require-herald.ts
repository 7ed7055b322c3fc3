import type { Herald } from '../../app.js';
import { HeraldError } from '../../errors.js';

/**
 * Checks the `herald` argument of an adapter by shape, not `instanceof`: an adapter entry must not
 * load herald's core itself (and two copies of herald may meet in one process).
 */
export function requireHerald(herald: Herald, call: string): void {
  const events = (herald as { events?: { dispatch?: unknown } } | null | undefined)?.events;
  if (typeof events?.dispatch !== 'function') {
    throw new HeraldError(
      'invalid_argument',
      `${call}: the first argument must be your herald app (what \`await createHerald(config)\` returned).`,
    );
  }
}
