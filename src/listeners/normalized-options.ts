import type { BackoffOption, UniqueOption } from './listener-options.js';

/** Listener options after validation, with defaults filled in. */
export interface NormalizedListenerOptions {
  readonly name: string | undefined;
  readonly scope: 'singleton' | 'transient';
  /** Whether the listener runs as a queued job. */
  readonly queued: boolean;
  /** Queue name, or undefined for the connection's default queue. */
  readonly queue: string | undefined;
  /** Connection name, or undefined for the config's default connection. */
  readonly connection: string | undefined;
  readonly delay: number;
  readonly tries: number;
  readonly backoff: BackoffOption | undefined;
  readonly timeout: number | undefined;
  readonly priority: number | undefined;
  readonly unique: UniqueOption<unknown> | undefined;
  readonly order: number;
}
