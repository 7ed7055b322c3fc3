import { HeraldError } from '../../errors.js';
import type { ListenerDefinition } from '../../listeners/listener-definition.js';

/** What a queued listener's `tags(event)` returned, checked: an array of strings, else `invalid_argument`. */
export function checkTags(tags: unknown, definition: ListenerDefinition): string[] {
  if (!(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string'))) {
    throw new HeraldError(
      'invalid_argument',
      `Queued listener ${definition.name}: tags(event) must return an array of strings.`,
    );
  }
  return tags;
}
