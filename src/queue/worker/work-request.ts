import type { HeraldLogger } from '../../logging/herald-logger.js';
import type { EventRegistry } from '../../registry/event-registry.js';
import type { ListenerRegistry } from '../../registry/listener-registry.js';
import type { WorkerRequest } from '../driver.js';
import { streamsAppendedOn } from '../job/stream-connection.js';
import type { QueueConnections } from '../queue-connections.js';
import { withLogger } from './logged-work-options.js';
import { type WorkerTap, withTap } from './tapped-work-options.js';
import type { WorkOptions } from './work-options.js';
import { listenersOfConnection } from './worker-listeners.js';
import { queuesOfConnection } from './worker-queues.js';

/** What building a worker request reads of the app. */
export interface WorkRequestParts {
  readonly connections: QueueConnections;
  readonly events: EventRegistry;
  readonly listeners: ListenerRegistry;
  /** The config's logger, unless `options.logger` names another. */
  readonly logger?: HeraldLogger | undefined;
  /** What the app hears of its workers (its Prometheus series), if anything. */
  readonly tap?: WorkerTap | undefined;
  /** The app's outbox, if any: a stop-when-empty worker waits for its committed rows. */
  readonly outbox?: { hasWaiting(): Promise<boolean> } | undefined;
}

/**
 * What `herald.work()` asks a driver for on connection `name`: the queues (the caller's, or every
 * queue the connection's listeners use plus its default), the connection's queued listeners with
 * their streams, the streams its events are appended to (retention), the options (tapped by the
 * app's metrics, routed to a logger when there is one) and the connection's job runner.
 */
export function workRequestOf(parts: WorkRequestParts, name: string, options: WorkOptions): WorkerRequest {
  const { connections, events, listeners } = parts;
  const defaultName = connections.defaultName;
  const queues =
    options.queues ?? queuesOfConnection(listeners, name, defaultName, connections.driver(name).defaultQueue);
  const appendedStreams = streamsAppendedOn(
    events.events(),
    connections,
    (eventClass) => events.wireNameOf(eventClass),
    name,
  );
  const logger = options.logger ?? parts.logger;
  const { outbox } = parts;
  const counted =
    outbox === undefined || options.stopWhenEmpty !== true
      ? options
      : { ...options, outboxWaiting: () => outbox.hasWaiting() };
  const tapped = parts.tap === undefined ? counted : withTap(counted, parts.tap, name, queues);
  return {
    queues,
    listeners: listenersOfConnection(listeners, name, defaultName),
    appendedStreams,
    options: logger === undefined ? tapped : withLogger(tapped, logger),
    runner: connections.runnerFor(name),
  };
}
