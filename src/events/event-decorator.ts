import { callerFile } from '../metadata/caller-file.js';
import type { AnyClass } from '../metadata/class-types.js';
import { recordDecoration } from '../metadata/decoration-log.js';
import { defineWireMetadata } from '../metadata/event-metadata.js';
import { EVENT_METADATA } from '../metadata/keys.js';

/**
 * Marks a class as an event. Its wire name (stored in queued jobs) defaults to the class name;
 * pass one to keep it stable when the class is renamed or minified.
 *
 * Decorating registers nothing by itself: an app knows an event once discovery or a listener
 * brings it in.
 *
 * @example
 * @Event('orders.shipped')
 * export class OrderShipped extends Dispatchable {
 *   constructor(readonly orderId: string) { super(); }
 * }
 */
export function Event(name?: string): <T extends AnyClass>(target: T) => void {
  return (target) => {
    const file = callerFile();
    // The name is validated at boot, where the error can name the app's files too.
    defineWireMetadata(target, EVENT_METADATA, { name: name ?? target.name, file });
    recordDecoration(target, file);
  };
}
