import type { RecordedDispatch, RecordedJob } from './recorded.js';

function counted(names: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, count]) => `${name} ×${count}`).join(', ');
}

/** "Dispatched: OrderShipped ×2, UserRegistered ×1" (or "nothing was dispatched"). */
export function describeDispatched(dispatched: readonly RecordedDispatch[]): string {
  if (dispatched.length === 0) return 'Nothing was dispatched.';
  return `Dispatched: ${counted(dispatched.map((entry) => entry.eventClass.name || entry.eventName))}.`;
}

/** "Queued: SendMail (OrderShipped) ×1" (or "nothing was queued"). */
export function describeQueued(queued: readonly RecordedJob[]): string {
  if (queued.length === 0) return 'Nothing was queued.';
  return `Queued: ${counted(queued.map((entry) => `${entry.definition.name} (${entry.eventName})`))}.`;
}

/** "1 time" / "2 times". */
export function times(count: number): string {
  return `${count} time${count === 1 ? '' : 's'}`;
}
