import type { Container } from 'inversify';
import type { ListenerInstances } from './container/listener-instances.js';
import type { EventDispatcher } from './events/event-dispatcher.js';
import type { HeraldLogger } from './logging/herald-logger.js';
import type { HeraldOutbox } from './outbox/herald-outbox.js';
import type { QueueBridge } from './queue/job/queue-bridge.js';
import type { QueueConnections } from './queue/queue-connections.js';
import type { JobRunner } from './queue/runner/job-runner.js';
import type { EventRegistry } from './registry/event-registry.js';
import type { ListenerRegistry } from './registry/listener-registry.js';

/** @internal What `createHerald` hands the `Herald` it builds. */
export interface HeraldParts {
  container: Container;
  dispatcher: EventDispatcher;
  connections: QueueConnections;
  events: EventRegistry;
  listeners: ListenerRegistry;
  runner: JobRunner;
  instances: ListenerInstances;
  bridge: QueueBridge;
  /** The config's logger (warnings, worker errors, attempt records). */
  logger?: HeraldLogger | undefined;
  /** The transactional outbox, when the config has one. */
  outbox?: HeraldOutbox | undefined;
}
