import type { Herald } from '../app.js';
import type { ConnectionConfig } from '../config/config-types.js';
import type { ListenerInfo } from '../events/event-dispatcher.js';
import { listenerDeclarationOf, onDeclarationsOf } from '../listeners/decorator-declarations.js';
import type { AnyClass } from '../metadata/class-types.js';
import { eventMetadataOf } from '../metadata/event-metadata.js';
import { descriptorOf } from '../queue/drivers/descriptors.js';
import type { StreamAdmin, StreamReader } from '../queue/stream-admin.js';
import { CommandRefused } from './command-refused.js';

/** A streams connection's listeners as the `stream:*` commands see them. */
export interface StreamsConnection {
  readonly name: string;
  readonly listeners: readonly StreamReader[];
}

/**
 * The streams connections of the config with the app's queued listeners on each and the streams
 * they read: each event class's `stream` option, else its wire name (as the worker reads them,
 * src/queue/worker/worker-listeners.ts).
 */
export function streamsConnections(
  herald: Herald,
  connections: Readonly<Record<string, ConnectionConfig>>,
): StreamsConnection[] {
  const names = Object.keys(connections).filter((name) => connections[name]?.driver === 'streams');
  const byConnection = new Map<string, Map<string, Set<string>>>(names.map((name) => [name, new Map()]));
  for (const eventClass of herald.eventClasses()) {
    const metadata = eventMetadataOf(eventClass);
    if (metadata === undefined) continue;
    const stream = metadata.streaming?.stream ?? metadata.name;
    for (const listener of herald.getListeners(eventClass)) {
      if (!listener.queued) continue;
      const readers = byConnection.get(listener.connection ?? herald.defaultConnection);
      if (readers === undefined) continue;
      const streams = readers.get(listener.name) ?? new Set<string>();
      streams.add(stream);
      readers.set(listener.name, streams);
    }
  }
  return names.map((name) => ({
    name,
    listeners: [...(byConnection.get(name) ?? new Map<string, Set<string>>())].map(([listener, streams]) => ({
      name: listener,
      streams: [...streams],
    })),
  }));
}

/** A listener found on a streams connection. */
export interface FoundStreamListener {
  readonly connection: string;
  readonly listener: StreamReader;
}

/**
 * The streams connection and streams of a listener by wire name; refuses (exit 1) a name that is
 * no queued listener of the app, or one on another kind of connection, saying what to do.
 */
export function findStreamListener(
  herald: Herald,
  connections: Readonly<Record<string, ConnectionConfig>>,
  name: string,
): FoundStreamListener {
  const streamsOf = streamsConnections(herald, connections);
  for (const connection of streamsOf) {
    const listener = connection.listeners.find((each) => each.name === name);
    if (listener === undefined) continue;
    if (isBroadcast(herald, name)) {
      throw new CommandRefused(
        `The listener "${name}" is a broadcast listener (broadcast: true): every worker reads the log on its own, with no consumer group, so it has no position to replay, no pending entries and no dead letters. Remove broadcast: true to give it a group (it then starts at its startFrom), or replay another listener.`,
      );
    }
    return { connection: connection.name, listener };
  }
  const elsewhere = connectionOfListener(herald, name);
  if (elsewhere !== undefined) {
    throw new CommandRefused(
      `The listener "${name}" runs on the queue connection "${elsewhere}" (driver ${connections[elsewhere]?.driver ?? 'unknown'}), not on a streams connection: the stream commands apply to listeners that read a log. Route it to a streams connection with { connection: '<name>' } (streams connections here: ${streamsOf.map((each) => each.name).join(', ') || 'none'}), or use the queue:* commands.`,
    );
  }
  const known = streamsOf.flatMap((connection) => connection.listeners.map((listener) => listener.name));
  if (streamsOf.length === 0) {
    throw new CommandRefused(
      `The listener "${name}" is not on a streams connection: this config has none. Add a connection with driver 'streams' under queue.connections and route the listener to it ({ connection: '<name>' }).`,
    );
  }
  throw new CommandRefused(
    `No queued listener named "${name}" reads a streams connection (${streamsOf.map((each) => each.name).join(', ')}). Give the listener's wire name (herald event:list shows them; known here: ${known.join(', ') || 'none'}), or route it to a streams connection with { connection: '<name>' }.`,
  );
}

/**
 * Whether the queued listener of that wire name was declared with `broadcast: true` (read from
 * its @Listener or @On declaration; `getListeners()` answers no options).
 */
function isBroadcast(herald: Herald, name: string): boolean {
  for (const eventClass of herald.eventClasses()) {
    const info = herald.getListeners(eventClass).find((each) => each.name === name && each.queued);
    if (info !== undefined) return broadcastOption(info);
  }
  return false;
}

function broadcastOption(info: ListenerInfo): boolean {
  if (typeof info.listener !== 'function') return false;
  const target = info.listener as AnyClass;
  const declaration = listenerDeclarationOf(target);
  const raw =
    info.method === 'handle' && declaration !== undefined
      ? declaration.options
      : onDeclarationsOf(target).find((on) => on.method === info.method)?.options;
  return (raw as { broadcast?: unknown } | undefined)?.broadcast === true;
}

/** The connection of a queued listener by wire name, on any driver; undefined when there is none. */
function connectionOfListener(herald: Herald, name: string): string | undefined {
  for (const eventClass of herald.eventClasses()) {
    const listener = herald.getListeners(eventClass).find((each) => each.name === name && each.queued);
    if (listener !== undefined) return listener.connection ?? herald.defaultConnection;
  }
  return undefined;
}

/** Opens the stream admin of a streams connection. */
export function openStreamAdmin(
  name: string,
  connections: Readonly<Record<string, ConnectionConfig>>,
): StreamAdmin {
  const config = connections[name];
  const admin = config === undefined ? undefined : descriptorOf(config).openStreamAdmin?.(name, config);
  if (admin === undefined)
    throw new CommandRefused(`The queue connection "${name}" is not a streams connection.`);
  return admin;
}
