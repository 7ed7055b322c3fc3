import { Container } from 'inversify';
import { Herald } from './app.js';
import type { ContainerOption, HeraldConfig } from './config/config-types.js';
import { configFileOf, configImporterOf, configRoot } from './config/define-config.js';
import { validateConfig } from './config/validate-config.js';
import { ListenerInstances } from './container/listener-instances.js';
import { discoverForBoot } from './discovery/discover-for-boot.js';
import { importModule, type ModuleImporter } from './discovery/import-module.js';
import { moduleLanguageOf } from './discovery/module-language.js';
import { HeraldError } from './errors.js';
import { setCurrentDispatcher } from './events/current-dispatcher.js';
import { attachDispatcher, EventDispatcher } from './events/event-dispatcher.js';
import { describeListener } from './listeners/listener-definition.js';
import { heraldWarning } from './logging/write-log.js';
import type { AnyClass } from './metadata/class-types.js';
import { serializableMetadataOf } from './metadata/event-metadata.js';
import { HeraldOutbox } from './outbox/herald-outbox.js';
import { checkDriverListenerOptions } from './queue/driver-listener-options.js';
import { QueueBridge } from './queue/job/queue-bridge.js';
import { checkStreamedEvents, namesStream } from './queue/job/stream-connection.js';
import { QueueConnections } from './queue/queue-connections.js';
import { JobRunner } from './queue/runner/job-runner.js';
import { EventRegistry } from './registry/event-registry.js';
import { ListenerIntake } from './registry/listener-intake.js';
import { ListenerRegistry } from './registry/listener-registry.js';
import { findLoadedTwice, loadedTwiceError } from './registry/loaded-twice.js';
import { prepareTracing } from './telemetry/otel-switch.js';

/** Boot-time options that are not part of the config file. */
export interface CreateHeraldOptions {
  /** How discovery imports modules (the CLI passes a TypeScript-aware loader). */
  readonly importModule?: ModuleImporter;
  /**
   * Use the discovery manifest written by `herald event:cache` when it matches the files;
   * default true. `event:cache` itself scans with false.
   */
  readonly manifest?: boolean;
  /** Folder relative config paths resolve against when the config does not say. */
  readonly cwd?: string;
}

/** Runs discovery for boot with the config's importer and module language. */
function discover(
  config: HeraldConfig,
  options: CreateHeraldOptions,
): Promise<{ readonly listeners: readonly AnyClass[]; readonly events: readonly AnyClass[] }> {
  if (config.discover === undefined || config.discover.length === 0)
    return Promise.resolve({ listeners: [], events: [] });
  return discoverForBoot({
    entries: config.discover,
    root: configRoot(config, options.cwd),
    importer: configImporterOf(config) ?? options.importModule ?? importModule,
    useManifest: options.manifest ?? true,
    language: moduleLanguageOf(configFileOf(config)),
    logger: config.logger,
  });
}

async function resolveContainer(option: ContainerOption | undefined): Promise<Container> {
  if (option === undefined) return new Container({ autobind: true });
  if (option instanceof Container) return option;
  const built = await option();
  if (!(built instanceof Container)) {
    throw new HeraldError('config_invalid', 'herald config: "container" must return an inversify Container.');
  }
  return built;
}

/**
 * Boots herald: validates the config, makes (or takes) the container, discovers and registers
 * listeners and events, binds `EventDispatcher`. The app is then ready to dispatch.
 *
 * @example
 * const herald = await createHerald(defineConfig({ listeners: [UpdateStock] }));
 * await herald.dispatch(new OrderShipped('o-1', 42, new Date()));
 * await herald.close();
 */
export async function createHerald(
  config: HeraldConfig = {},
  options: CreateHeraldOptions = {},
): Promise<Herald> {
  const queue = validateConfig(config);
  // Imports @opentelemetry/api only when a tracer provider is registered (otel-switch.ts).
  await prepareTracing();
  const container = await resolveContainer(config.container);
  const events = new EventRegistry();
  const listeners = new ListenerRegistry();
  const instances = new ListenerInstances(container);
  const runner = new JobRunner({ events, listeners, instances });
  const connections = new QueueConnections(
    queue.connections,
    queue.defaultConnection,
    runner,
    queue.streamsDefault,
  );
  const outbox =
    queue.outbox === undefined
      ? undefined
      : new HeraldOutbox(queue.outbox, (name) => connections.driver(name));
  const bridge = new QueueBridge(instances, connections, outbox?.writer);
  const intake = new ListenerIntake(events, listeners, instances, container);
  const dispatcher = new EventDispatcher();

  const discovered = await discover(config, options);
  for (const target of [...discovered.events, ...(config.events ?? [])]) {
    if (serializableMetadataOf(target) !== undefined) events.registerSerializable(target);
    else events.registerEvent(target, 'herald config');
  }
  for (const target of [...discovered.listeners, ...(config.listeners ?? [])]) intake.registerClass(target);
  const twice = findLoadedTwice([
    ...events.events(),
    ...listeners.all().flatMap((definition) => (definition.target === undefined ? [] : [definition.target])),
  ]);
  if (twice !== undefined) throw loadedTwiceError(twice);
  // An app that only publishes to streams (events that name one) has work without listeners.
  const publishes = events.events().some((eventClass) => namesStream(eventClass));
  if (
    config.discover !== undefined &&
    config.discover.length > 0 &&
    listeners.all().length === 0 &&
    !publishes
  ) {
    heraldWarning(
      config.logger,
      `herald: the config discovers ${config.discover.map((entry) => JSON.stringify(entry)).join(', ')} but no listener or subscriber (nor an event that names a stream) was found there, so every dispatch will do nothing. Check that the folders hold your @Listener/@Subscriber classes (a compiled app needs discover to name folders, not *.ts globs).`,
      'HERALD_NO_LISTENERS',
    );
  }
  for (const definition of listeners.all()) {
    const connection = definition.options.connection;
    if (connection !== undefined && connections.config(connection) === undefined) {
      throw new HeraldError(
        'unknown_connection',
        `${describeListener(definition)} uses the queue connection "${connection}", which is not configured (known: ${connections.names().join(', ')}): add it under queue.connections.`,
      );
    }
    checkDriverListenerOptions(definition, connections);
  }
  checkStreamedEvents(events.events(), connections, (target) => events.wireNameOf(target));

  if (container.isBound(EventDispatcher)) container.unbind(EventDispatcher);
  container.bind(EventDispatcher).toConstantValue(dispatcher);
  attachDispatcher(dispatcher, { events, listeners, instances, bridge, intake });
  setCurrentDispatcher(dispatcher);
  const { logger } = config;
  return new Herald({
    container,
    dispatcher,
    connections,
    events,
    listeners,
    runner,
    instances,
    bridge,
    logger,
    outbox,
  });
}
