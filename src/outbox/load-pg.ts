import type { OutboxPool } from '../config/config-types.js';
import { HeraldError } from '../errors.js';

/** The part of the `pg` module herald uses: a Pool from a connection string. */
interface PgModule {
  readonly Pool: new (options: {
    connectionString: string;
    connectionTimeoutMillis: number;
  }) => OutboxPool & { end(): Promise<void>; on(event: 'error', listener: (error: Error) => void): unknown };
}

let loading: Promise<PgModule> | undefined;

/**
 * Imports node-postgres (`pg`, an optional peer dependency) the first time the outbox needs a
 * connection, so apps without an outbox never load it. A missing package is a `config_invalid`
 * error naming the install command.
 */
export function loadPg(): Promise<PgModule> {
  loading ??= import('pg').then(
    (module: { default?: unknown }) => (module.default ?? module) as PgModule,
    (error: unknown) => {
      loading = undefined;
      throw new HeraldError(
        'config_invalid',
        'herald config: "outbox" needs the node-postgres package, which is not installed: run `npm install pg`.',
        { cause: error },
      );
    },
  );
  return loading;
}
