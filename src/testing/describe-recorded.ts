import type { ListenerInfo } from '../events/event-dispatcher.js';
import type { ListenerDefinition } from '../listeners/listener-definition.js';
import type { RecordedDispatch, RecordedJob } from './recorded.js';

function counted(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ×${count}`).join(', ');
}

/** A class or function as messages name it; never a function's source text. */
export function nameOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'function') return value.name === '' ? 'an anonymous function' : value.name;
  return String(value);
}

/** A listener as messages name it: its class (and method, for subscribers), or its closure. */
export function listenerLabel(definition: ListenerDefinition): string {
  if (definition.target !== undefined) {
    const method = definition.method === 'handle' ? '' : `.${definition.method}`;
    return `${nameOf(definition.target)}${method}`;
  }
  return definition.fn !== undefined && definition.fn.name !== '' ? definition.fn.name : definition.name;
}

/** A listener as `getListeners()` reports it, named like {@link listenerLabel} names it. */
export function listenerInfoLabel(info: ListenerInfo): string {
  if (info.method !== 'handle') return `${nameOf(info.listener)}.${info.method}`;
  if (info.listener.name !== '') return info.listener.name;
  // An anonymous closure goes by its wire name (`closure#2`).
  return info.name === '' ? nameOf(info.listener) : info.name;
}

/** "Dispatched: OrderShipped ×2, UserRegistered ×1." (or "Nothing was dispatched."). */
export function describeDispatched(dispatched: readonly RecordedDispatch[]): string {
  if (dispatched.length === 0) return 'Nothing was dispatched.';
  return `Dispatched: ${counted(dispatched.map((entry) => entry.eventClass.name || entry.eventName))}.`;
}

/** "Queued: SendMail (OrderShipped) ×1." (or "Nothing was queued."). */
export function describeQueued(queued: readonly RecordedJob[]): string {
  if (queued.length === 0) return 'Nothing was queued.';
  return `Queued: ${counted(
    queued.map((entry) => `${listenerLabel(entry.definition)} (${entry.eventClass.name || entry.eventName})`),
  )}.`;
}

/** "1 time" / "2 times". */
export function times(count: number): string {
  return plural(count, 'time');
}

/** "1 dispatch" / "2 dispatches", "1 job" / "2 jobs". */
export function plural(count: number, noun: string): string {
  if (count === 1) return `1 ${noun}`;
  return `${count} ${noun}${/(s|sh|ch|x)$/.test(noun) ? 'es' : 's'}`;
}

/** Whether a definition is the given listener class, or has the given wire name. */
export function isListener(definition: ListenerDefinition, listener: ListenerClassLike | string): boolean {
  return typeof listener === 'string'
    ? definition.name === listener
    : (definition.target as unknown) === listener;
}

/**
 * Why a listener has no recorded job, when that can be told: " (reason)" or "". `registered` is
 * every listener of the app, `declined` those whose shouldQueue() said no while faked.
 */
export function notQueuedReason(
  listener: ListenerClassLike | string,
  registered: readonly ListenerDefinition[],
  declined: readonly ListenerDefinition[],
): string {
  const name = nameOf(listener);
  const mine = registered.filter((definition) => isListener(definition, listener));
  if (mine.length === 0) return ` (${name} is not a listener registered in this app)`;
  if (!mine.some((definition) => definition.options.queued)) {
    return ` (${name} is a sync listener: it runs during dispatch and is never queued)`;
  }
  const count = declined.filter((definition) => isListener(definition, listener)).length;
  return count === 0 ? '' : ` (its shouldQueue() returned false ${times(count)})`;
}

/** Any class, for matching by identity. */
type ListenerClassLike = abstract new (...args: never[]) => unknown;

/** Why `assertListening` failed: the listener, the event, and who does listen to it. */
export function notListeningMessage(event: unknown, listener: unknown, listening: readonly string[]): string {
  const who =
    listening.length === 0
      ? `${nameOf(event)} has no listeners.`
      : `Listeners of ${nameOf(event)}: ${listening.join(', ')}.`;
  return `Expected ${nameOf(listener)} to listen to ${nameOf(event)}, but it does not. ${who}`;
}
