import { HeraldError } from '../errors.js';
import { callerFile } from '../metadata/caller-file.js';
import type { AnyClass } from '../metadata/class-types.js';
import { recordDecoration } from '../metadata/decoration-log.js';
import { defineWireMetadata } from '../metadata/event-metadata.js';
import { SERIALIZABLE_METADATA } from '../metadata/keys.js';
import { slottedBuiltinAdvice, slottedBuiltinBase } from './builtin-base.js';

/**
 * Lets instances of a (non-event) class travel inside a queued event's payload. They are
 * revived with their prototype on the worker, without running the constructor.
 *
 * Throws HeraldError `not_serializable` when the class extends `Map`, `Set`, `Date`, `Array`, a
 * typed array or another built-in whose contents no payload can carry.
 *
 * @example
 * @Serializable()
 * export class Money { constructor(readonly cents: bigint, readonly currency: string) {} }
 */
export function Serializable(name?: string): <T extends AnyClass>(target: T) => void {
  return (target) => {
    const base = slottedBuiltinBase(target);
    if (base !== undefined) {
      throw new HeraldError(
        'not_serializable',
        `@Serializable(): ${slottedBuiltinAdvice(target.name || '(anonymous)', base)}.`,
      );
    }
    const file = callerFile();
    defineWireMetadata(target, SERIALIZABLE_METADATA, { name: name ?? target.name, file });
    recordDecoration(target, file);
  };
}
