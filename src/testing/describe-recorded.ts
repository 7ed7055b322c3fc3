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
