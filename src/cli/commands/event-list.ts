import { relative } from 'node:path';
import type { Command } from 'commander';
import type { Herald } from '../../app.js';
import { configRoot } from '../../config/define-config.js';
import type { ListenerInfo } from '../../events/event-dispatcher.js';
import { listenerDeclarationOf, onDeclarationsOf } from '../../listeners/decorator-declarations.js';
import type { BackoffOption } from '../../listeners/listener-options.js';
import { normalizeListenerOptions } from '../../listeners/normalize-options.js';
import type { AnyClass } from '../../metadata/class-types.js';
import { eventMetadataOf } from '../../metadata/event-metadata.js';
import { DEFAULT_QUEUE } from '../../queue/driver.js';
import { descriptorOf } from '../../queue/drivers/descriptors.js';
import { loadAppWithConfig } from '../app-with-config.js';
import { Output } from '../output.js';

/** One listener of an event in `event:list --json`. */
export interface ListedListener {
  readonly name: string;
  readonly queued: boolean;
  readonly connection?: string;
  readonly queue?: string;
  readonly tries?: number;
  readonly backoff?: BackoffOption;
  readonly order: number;
}

/** One event in `event:list --json`. */
export interface ListedEvent {
  readonly event: string;
  readonly class: string;
  readonly file?: string;
  readonly listeners: ListedListener[];
}

/** What `event:list` needs from the app and its config to describe a listener. */
interface Context {
  readonly herald: Herald;
  readonly root: string;
  readonly defaultQueues: Readonly<Record<string, string>>;
}

/**
 * tries/backoff are not in `getListeners()`' answer: read them from the listener's declaration
 * (what boot normalised), for the class's `handle` or subscriber method.
 */
function declaredOptions(info: ListenerInfo) {
  const target = info.listener as AnyClass;
  const declaration = listenerDeclarationOf(target);
  const raw =
    info.method === 'handle' && declaration !== undefined
      ? declaration.options
      : onDeclarationsOf(target).find((on) => on.method === info.method)?.options;
  try {
    return normalizeListenerOptions(raw, info.name);
  } catch {
    return undefined;
  }
}

function describeListener(info: ListenerInfo, context: Context): ListedListener {
  if (!info.queued) return { name: info.name, queued: false, order: info.order };
  const connection = info.connection ?? context.herald.defaultConnection;
  const options = declaredOptions(info);
  return {
    name: info.name,
    queued: true,
    connection,
    queue: info.queue ?? context.defaultQueues[connection] ?? DEFAULT_QUEUE,
    ...(options === undefined ? {} : { tries: options.tries }),
    ...(options?.backoff === undefined ? {} : { backoff: options.backoff }),
    order: info.order,
  };
}

function describeEvent(target: AnyClass, context: Context): ListedEvent {
  const metadata = eventMetadataOf(target);
  const file =
    metadata?.file === undefined ? undefined : relative(context.root, metadata.file).split('\\').join('/');
  return {
    event: metadata?.name ?? target.name,
    class: target.name,
    ...(file === undefined ? {} : { file }),
    listeners: context.herald.getListeners(target).map((info) => describeListener(info, context)),
  };
}

function formatBackoff(backoff: BackoffOption): string {
  if (typeof backoff === 'number') return `${backoff}ms`;
  if (Array.isArray(backoff)) return backoff.map((delay) => `${delay}ms`).join(', ');
  const { type, delay } = backoff as Exclude<BackoffOption, number | readonly number[]>;
  return `${type} ${delay}ms`;
}

/** The name an event is shown under: its wire name, with the class when they differ. */
function eventTitle(event: ListedEvent): string {
  return event.class === event.event ? event.event : `${event.event} (${event.class})`;
}

function widest(texts: readonly string[]): number {
  return texts.reduce((max, text) => Math.max(max, text.length), 0);
}

/**
 * Prints the table: every column starts at the same place on every line (widths measured on the
 * plain text, then painted), so the output reads as columns (test/cli/event-list.test.ts).
 */
function printEvents(events: readonly ListedEvent[], out: Output): void {
  const listeners = events.flatMap((event) => event.listeners);
  const titleWidth = widest(events.map(eventTitle));
  const numberWidth = widest(events.map((event) => `${event.listeners.length}.`));
  const nameWidth = widest(listeners.map((listener) => listener.name));
  const how = (listener: ListedListener) =>
    listener.queued ? `${listener.connection}:${listener.queue}` : 'sync';
  const howWidth = widest(listeners.map(how));
  for (const event of events) {
    const title = eventTitle(event);
    out.line(
      event.file === undefined
        ? out.paint('bold', title)
        : `${out.paint('bold', title.padEnd(titleWidth))}  ${out.paint('dim', event.file)}`,
    );
    if (event.listeners.length === 0) out.line(`  ${out.paint('dim', 'no listeners')}`);
    event.listeners.forEach((listener, index) => {
      const retries = [
        listener.tries === undefined ? '' : `tries ${listener.tries}`,
        listener.backoff === undefined ? '' : `backoff ${formatBackoff(listener.backoff)}`,
      ].filter((part) => part !== '');
      const where = how(listener);
      const painted = listener.queued ? out.paint('yellow', where) : out.paint('green', where);
      const row = `  ${`${index + 1}.`.padStart(numberWidth)} ${listener.name.padEnd(nameWidth)}  ${
        retries.length === 0
          ? painted
          : `${painted}${' '.repeat(howWidth - where.length)}  ${retries.join(', ')}`
      }`;
      out.line(row);
    });
  }
}

/** `herald event:list [--event <text>] [--json]`: every event with its listeners, in dispatch order. */
export function registerEventList(program: Command): void {
  program
    .command('event:list')
    .description('list every event with its listeners, in the order they run, sync or queued')
    .option('-e, --event <text>', 'only events whose wire name or class name contains this (any case)')
    .option('--json', 'print JSON (shape below)')
    .addHelpText(
      'after',
      `
Boots the app from herald.config.ts (discovery included) and lists its events sorted by wire
name. Each listener is "sync" or "<connection>:<queue>" with its tries and backoff.

--json prints an array, one entry per event:
  { "event": wire name, "class": class name, "file"?: declaring file relative to the config
    folder, "listeners": [ { "name": listener wire name, "queued": boolean,
    "connection"?, "queue"?, "tries"?, "backoff"? (queued listeners only; backoff as declared:
    ms, ms[] or { type, delay, jitter? }), "order": the order option (default 0) } ] }
listeners are in dispatch order. Fields marked ? are left out when they do not apply.

Exit codes: 0 listed (also when nothing matches), 1 the app failed to boot, 2 usage error.`,
    )
    .action(async (flags: { event?: string; json?: boolean }, command: Command) => {
      const out = new Output();
      const { herald, config, connections, cwd } = await loadAppWithConfig(command);
      try {
        const defaultQueues = Object.fromEntries(
          Object.entries(connections).map(([name, connection]) => [
            name,
            descriptorOf(connection).defaultQueue(connection),
          ]),
        );
        const context: Context = { herald, root: configRoot(config, cwd), defaultQueues };
        const needle = flags.event?.toLowerCase();
        const events = herald
          .eventClasses()
          .map((target) => describeEvent(target, context))
          .filter(
            (event) =>
              needle === undefined ||
              event.event.toLowerCase().includes(needle) ||
              event.class.toLowerCase().includes(needle),
          )
          .sort((a, b) => (a.event < b.event ? -1 : a.event > b.event ? 1 : 0));
        if (flags.json === true) out.json(events);
        else if (events.length > 0) printEvents(events, out);
        else if (needle !== undefined) out.line(`No event matches ${JSON.stringify(flags.event)}.`);
        else
          out.line(
            'No events registered: herald registers the events and listeners that "discover" (or "events" and "listeners") in herald.config.ts name.',
          );
      } finally {
        await herald.close();
      }
    });
}
