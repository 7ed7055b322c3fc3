import type { ListenerFunction } from '../listeners/listener-options.js';
import type { AnyClass } from '../metadata/class-types.js';

/** A registered listener as `getListeners` reports it. */
export interface ListenerInfo {
  /** Wire name. */
  readonly name: string;
  /** The listener class, or the closure given to `listen`. */
  readonly listener: AnyClass | ListenerFunction<object>;
  readonly method: string;
  readonly queued: boolean;
  readonly connection: string | undefined;
  readonly queue: string | undefined;
  readonly order: number;
}
