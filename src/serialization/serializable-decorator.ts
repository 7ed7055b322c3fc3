import { defineWireMetadata } from '../events/event-metadata.js';
import { callerFile } from '../metadata/caller-file.js';
import type { AnyClass } from '../metadata/class-types.js';
import { recordDecoration } from '../metadata/decoration-log.js';
import { SERIALIZABLE_METADATA } from '../metadata/keys.js';

/**
 * Lets instances of a (non-event) class travel inside a queued event's payload. They are
 * revived with their prototype on the worker, without running the constructor.
 *
 * @example
 * @Serializable()
 * export class Money { constructor(readonly cents: bigint, readonly currency: string) {} }
 */
export function Serializable(name?: string): <T extends AnyClass>(target: T) => void {
  return (target) => {
    const file = callerFile();
    defineWireMetadata(target, SERIALIZABLE_METADATA, { name: name ?? target.name, file });
    recordDecoration(target, file);
  };
}
