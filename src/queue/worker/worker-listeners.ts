import { eventMetadataOf } from '../../metadata/event-metadata.js';
import type { ListenerRegistry } from '../../registry/listener-registry.js';
import type { WorkerListener } from '../driver.js';

/**
 * The queued listeners of `connection` as a worker serves them, each with the streams its event
 * classes are appended to (the event's `stream` option, else its wire name). A listener given
 * only wildcard patterns reads no stream: a pattern names no log to subscribe to.
 */
export function listenersOfConnection(
  listeners: ListenerRegistry,
  connection: string,
  defaultConnection: string,
): WorkerListener[] {
  const served: WorkerListener[] = [];
  for (const definition of listeners.all()) {
    const { options } = definition;
    if (!options.queued || (options.connection ?? defaultConnection) !== connection) continue;
    const streams = new Set<string>();
    for (const eventClass of definition.events) {
      const metadata = eventMetadataOf(eventClass);
      if (metadata === undefined) continue;
      streams.add(metadata.streaming?.stream ?? metadata.name);
    }
    served.push({
      name: definition.name,
      streams: [...streams],
      startFrom: options.startFrom ?? 'new',
      ordered: options.ordered === true,
      broadcast: options.broadcast === true,
      options: {
        tries: options.tries,
        backoff: options.backoff,
        timeout: options.timeout,
        retryUntil: undefined,
      },
    });
  }
  return served;
}
