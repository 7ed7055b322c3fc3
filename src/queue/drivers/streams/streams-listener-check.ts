import { HeraldError } from '../../../errors.js';
import { describeListener, type ListenerDefinition } from '../../../listeners/listener-definition.js';

/**
 * Refuses, at boot, a `broadcast: true` listener of a streams connection that also sets an
 * option that cannot mean anything without a consumer group: a broadcast entry gets one attempt
 * and is never kept pending, so there is nothing to retry (`tries` > 1, `backoff`;
 * `retryUntil()` is refused on every streams listener), no group position to start from (`startFrom`), and no partition to own
 * (`ordered`). Ignoring them would silently drop retries or order the author relied on
 * (test/integration/streams/streams-broadcast.test.ts).
 */
export function checkStreamsListener(definition: ListenerDefinition, connection: string): void {
  const { options } = definition;
  if (options.broadcast !== true) return;
  const orGroup = 'or remove broadcast: true to read through a consumer group with retries';
  const conflicts: [string, boolean, string][] = [
    ['tries', options.tries > 1, `remove tries (a broadcast entry gets one attempt), ${orGroup}`],
    [
      'backoff',
      options.backoff !== undefined,
      `remove backoff (a broadcast entry is never retried), ${orGroup}`,
    ],
    [
      'startFrom',
      options.startFrom !== undefined,
      `remove startFrom (a broadcast listener handles the entries appended after its worker started), ${orGroup}`,
    ],
    [
      'ordered',
      options.ordered === true,
      'remove ordered or broadcast: true (an ordered listener reads through a group, one worker per partition)',
    ],
  ];
  for (const [key, set, fix] of conflicts) {
    if (!set) continue;
    throw new HeraldError(
      'config_invalid',
      `${describeListener(definition)}: option "${key}" cannot be honoured with broadcast: true on its connection "${connection}" (a broadcast listener has no consumer group: one attempt per entry, no retries, no position): ${fix}.`,
    );
  }
}
