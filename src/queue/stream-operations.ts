import { HeraldError } from '../errors.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { AnyClass } from '../metadata/class-types.js';
import { eventMetadataOf } from '../metadata/event-metadata.js';
import type { EventRegistry } from '../registry/event-registry.js';
import type { ListenerRegistry } from '../registry/listener-registry.js';
import { descriptorOf } from './drivers/descriptors.js';
import { streamsAppendedOn } from './job/stream-connection.js';
import type { QueueConnections } from './queue-connections.js';
import type {
  DeadLetter,
  RetryDeadOutcome,
  StreamAdmin,
  StreamPartitionState,
  StreamReader,
} from './stream-admin.js';

/** Which log `herald.streams()` describes. */
export interface StreamsOptions {
  /**
   * Default: `streams.default` from config, else the only `streams` connection, else (with
   * none) the default connection when it is `memory`.
   */
  readonly connection?: string;
}

/** Where `herald.replay()` starts again: the whole log, an entry id (`<ms>-<seq>`), or a time. */
export interface ReplayOptions {
  readonly from: 'start' | string | Date;
}

/** A listener by class (one `handle` listener) or by wire name (`Class.method` for `@On`). */
export type StreamListenerRef = AnyClass | string;

/**
 * The app's stream operations (`herald.streams()`, `deadLetters`, `retryDead`, `replay`): the
 * same StreamAdmin the `stream:*` commands use, one per connection, opened on first use and
 * closed with the app. On `memory` the admin works on the app's own in-process log.
 */
export class StreamOperations {
  readonly #connections: QueueConnections;
  readonly #listeners: ListenerRegistry;
  readonly #events: EventRegistry;
  readonly #admins = new Map<string, StreamAdmin>();

  constructor(connections: QueueConnections, listeners: ListenerRegistry, events: EventRegistry) {
    this.#connections = connections;
    this.#listeners = listeners;
    this.#events = events;
  }

  /** Every stream (partition) of a log connection that its listeners read or the app appends to. */
  async streams(options: StreamsOptions = {}): Promise<StreamPartitionState[]> {
    const connection = options.connection ?? this.#logConnection();
    const admin = this.#admin(connection, () => `The queue connection "${connection}"`);
    const streams = new Set<string>();
    for (const definition of this.#listeners.all()) {
      if (definition.options.queued && this.#connectionOf(definition) === connection)
        for (const stream of this.#streamsOf(definition, connection)) streams.add(stream);
    }
    const events = this.#events;
    const wireNameOf = (eventClass: AnyClass) => events.wireNameOf(eventClass);
    for (const stream of streamsAppendedOn(events.events(), this.#connections, wireNameOf, connection))
      streams.add(stream);
    return admin.describe([...streams]);
  }

  async deadLetters(listener: StreamListenerRef): Promise<DeadLetter[]> {
    const { admin, reader } = this.#resolve(listener);
    return admin.deadLetters(reader);
  }

  async retryDead(listener: StreamListenerRef, ids: readonly string[] | 'all'): Promise<RetryDeadOutcome> {
    if (ids !== 'all' && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
      throw new HeraldError(
        'invalid_argument',
        `retryDead(listener, ids): ids must be 'all' or an array of entry ids (as deadLetters() gives them), got ${JSON.stringify(ids)}.`,
      );
    }
    const { admin, reader } = this.#resolve(listener);
    return admin.retryDead(reader, ids);
  }

  async replay(listener: StreamListenerRef, options: ReplayOptions): Promise<number> {
    const from = replayPoint(options);
    const { admin, reader } = this.#resolve(listener);
    return admin.replay(reader, from);
  }

  /** Closes the admins opened so far (their Redis connections on `streams`). */
  async close(): Promise<void> {
    const admins = [...this.#admins.values()];
    this.#admins.clear();
    await Promise.allSettled(admins.map((admin) => admin.close()));
  }

  #logConnection(): string {
    const connections = this.#connections;
    if (connections.streamsDefault !== undefined) return connections.streamsDefault;
    const streams = connections.names().filter((name) => connections.config(name)?.driver === 'streams');
    const [only] = streams;
    if (streams.length === 1 && only !== undefined) return only;
    if (streams.length === 0 && connections.config(connections.defaultName)?.driver === 'memory')
      return connections.defaultName;
    throw new HeraldError(
      'invalid_argument',
      streams.length === 0
        ? `herald.streams(): no queue connection keeps a log (no 'streams' connection, and the default connection "${connections.defaultName}" is not 'memory'): add one, or pass { connection: '<name>' }.`
        : `herald.streams(): several 'streams' connections (${streams.join(', ')}): pass { connection: '<name>' }, or set streams: { default: '<name>' } in herald.config.`,
    );
  }

  #connectionOf(definition: ListenerDefinition): string {
    return definition.options.connection ?? this.#connections.defaultName;
  }

  /**
   * The streams a listener reads on its connection: on `streams` each event's `stream`, else its
   * wire name; on `memory` only events that name a stream are logged.
   */
  #streamsOf(definition: ListenerDefinition, connection: string): string[] {
    const everyEvent = this.#connections.config(connection)?.driver === 'streams';
    const streams = new Set<string>();
    for (const eventClass of definition.events) {
      const metadata = eventMetadataOf(eventClass);
      const stream = metadata?.streaming?.stream ?? (everyEvent ? metadata?.name : undefined);
      if (stream !== undefined) streams.add(stream);
    }
    return [...streams];
  }

  /** The admin of a connection that keeps a log; `what` names the caller's subject for errors. */
  #admin(connection: string, what: () => string): StreamAdmin {
    const existing = this.#admins.get(connection);
    if (existing !== undefined) return existing;
    const config = this.#connections.config(connection);
    if (config === undefined) {
      throw new HeraldError(
        'unknown_connection',
        `No queue connection named "${connection}": configure it under queue.connections (known: ${this.#connections.names().join(', ') || 'none'}).`,
      );
    }
    const admin = descriptorOf(config).openStreamAdmin?.(connection, config, () =>
      this.#connections.driver(connection),
    );
    if (admin === undefined) {
      throw new HeraldError(
        'invalid_argument',
        `${what()} is on the queue connection "${connection}" (driver ${config.driver}), which keeps no log: stream operations need a 'streams' connection (or 'memory' standing in for one in tests). Route the listener there with { connection: '<name>' }, or use failedJobs()/retryFailed() for queued jobs.`,
      );
    }
    this.#admins.set(connection, admin);
    return admin;
  }

  #resolve(ref: StreamListenerRef): { admin: StreamAdmin; reader: StreamReader } {
    const definition = this.#definitionOf(ref);
    const { name, options } = definition;
    if (!options.queued) {
      throw new HeraldError(
        'invalid_argument',
        `The listener "${name}" runs synchronously inside dispatch (it is not queued), so it reads no stream: queue it on a log connection (e.g. { connection: 'log' }) to replay it or keep its dead letters.`,
      );
    }
    if (options.broadcast === true) {
      throw new HeraldError(
        'invalid_argument',
        `The listener "${name}" is a broadcast listener (broadcast: true): it reads the log with no consumer group, so it has no position to replay and no dead letters. Remove broadcast: true to give it a group.`,
      );
    }
    const connection = this.#connectionOf(definition);
    const admin = this.#admin(connection, () => `The listener "${name}"`);
    const streams = this.#streamsOf(definition, connection);
    if (streams.length === 0) {
      throw new HeraldError(
        'invalid_argument',
        `The listener "${name}" reads no stream on the connection "${connection}": none of its events names one. Give its event a stream (@Event(name, { stream: '<stream>' })) so every dispatch is logged.`,
      );
    }
    return { admin, reader: { name, streams } };
  }

  #definitionOf(ref: StreamListenerRef): ListenerDefinition {
    const all = this.#listeners.all();
    const known = () =>
      all
        .filter((each) => each.options.queued)
        .map((each) => each.name)
        .join(', ') || 'none';
    if (typeof ref === 'string') {
      const found = this.#listeners.byName(ref);
      if (found !== undefined) return found;
      throw new HeraldError(
        'unknown_listener',
        `No listener named "${ref}" is registered in this app: pass a listener class or its wire name (queued listeners here: ${known()}).`,
      );
    }
    if (typeof ref !== 'function') {
      throw new HeraldError('invalid_argument', 'Pass a listener class or its wire name (a string).');
    }
    const ofClass = all.filter((each) => each.target === ref);
    const [only] = ofClass;
    if (ofClass.length === 1 && only !== undefined) return only;
    if (ofClass.length === 0) {
      throw new HeraldError(
        'unknown_listener',
        `The class ${ref.name} is no registered listener of this app: register it (listeners: [...] or discovery), or pass a wire name (queued listeners here: ${known()}).`,
      );
    }
    throw new HeraldError(
      'invalid_argument',
      `The class ${ref.name} declares several listeners (${ofClass.map((each) => each.name).join(', ')}): pass the wire name of one.`,
    );
  }
}

/** `from` as an entry id or `'start'`; a time becomes the first id of its millisecond. */
function replayPoint(options: ReplayOptions): 'start' | string {
  const from = (options as Partial<ReplayOptions> | undefined)?.from;
  if (from === 'start') return from;
  if (typeof from === 'string' && /^\d+-\d+$/.test(from)) return from;
  if (from instanceof Date && !Number.isNaN(from.getTime()) && from.getTime() >= 0)
    return `${from.getTime()}-0`;
  throw new HeraldError(
    'invalid_argument',
    `replay(listener, { from }): from must be 'start', an entry id like '1700000000000-0', or a valid Date, got ${from instanceof Date ? 'an invalid Date' : JSON.stringify(from)}.`,
  );
}
