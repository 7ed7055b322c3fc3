import { HeraldError } from '../errors.js';
import type { OutboxConfig } from './config-types.js';

/** The outbox table when the config names none. */
export const DEFAULT_OUTBOX_TABLE = 'herald_outbox';
/** How often (ms) a relay looks for rows when no notification woke it, by default. */
export const DEFAULT_OUTBOX_POLL_INTERVAL = 5000;

const OUTBOX_KEYS = ['url', 'pool', 'table', 'pollInterval'];
/**
 * An unquoted SQL identifier, optionally schema-qualified. The table name is written into SQL
 * text (it cannot be a bind parameter), so only these are taken: nothing to quote or escape.
 */
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

/** The outbox settings a valid config yields, defaults filled in. */
export interface ValidatedOutboxConfig {
  readonly url: string | undefined;
  readonly pool: OutboxConfig['pool'];
  readonly table: string;
  readonly pollInterval: number;
}

function invalid(key: string, problem: string): never {
  throw new HeraldError('config_invalid', `herald config: "outbox.${key}" ${problem}.`);
}

/**
 * Checks `outbox` in a config: an object with exactly one of `url` and `pool`, a table name that
 * is a plain (optionally schema-qualified) SQL identifier and a positive `pollInterval`. Throws
 * `config_invalid` naming the key and the fix; undefined when the config has no outbox.
 */
export function validateOutbox(outbox: unknown): ValidatedOutboxConfig | undefined {
  if (outbox === undefined) return undefined;
  if (typeof outbox !== 'object' || outbox === null || Array.isArray(outbox)) {
    throw new HeraldError(
      'config_invalid',
      'herald config: "outbox" must be an object like { url: process.env.DATABASE_URL }.',
    );
  }
  const o = outbox as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!OUTBOX_KEYS.includes(key))
      invalid(key, `is not a config key (known: ${OUTBOX_KEYS.join(', ')}); check its spelling`);
  }
  const hasUrl = o.url !== undefined;
  const hasPool = o.pool !== undefined;
  if (hasUrl === hasPool) {
    throw new HeraldError(
      'config_invalid',
      `herald config: "outbox" needs exactly one of "url" (a PostgreSQL URL) and "pool" (a node-postgres Pool), ${hasUrl ? 'got both: remove one' : 'got neither: add url: process.env.DATABASE_URL'}.`,
    );
  }
  if (hasUrl && (typeof o.url !== 'string' || o.url.trim() === ''))
    invalid('url', 'must be a PostgreSQL URL like postgres://user@host/db (is the variable set?)');
  if (hasPool) {
    const pool = o.pool as { query?: unknown; connect?: unknown } | null;
    if (
      typeof pool !== 'object' ||
      pool === null ||
      typeof pool.query !== 'function' ||
      typeof pool.connect !== 'function'
    )
      invalid('pool', 'must be a node-postgres Pool (new pg.Pool({ connectionString }))');
  }
  const table = o.table ?? DEFAULT_OUTBOX_TABLE;
  if (typeof table !== 'string' || !TABLE_NAME.test(table)) {
    invalid(
      'table',
      `must be a plain SQL table name, optionally with its schema (letters, digits, _; e.g. 'herald_outbox' or 'app.herald_outbox'), got ${JSON.stringify(table)}`,
    );
  }
  const pollInterval = o.pollInterval ?? DEFAULT_OUTBOX_POLL_INTERVAL;
  if (typeof pollInterval !== 'number' || !Number.isFinite(pollInterval) || pollInterval <= 0)
    invalid('pollInterval', `must be a positive number of milliseconds, got ${JSON.stringify(pollInterval)}`);
  return {
    url: hasUrl ? (o.url as string) : undefined,
    pool: hasPool ? (o.pool as OutboxConfig['pool']) : undefined,
    table,
    pollInterval,
  };
}
