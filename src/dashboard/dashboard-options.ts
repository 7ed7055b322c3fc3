import type { IncomingMessage } from 'node:http';
import type { Herald } from '../app.js';
import { HeraldError } from '../errors.js';

/** Decides whether a request may see the dashboard; sync or async. */
export type DashboardAuthorize = (request: IncomingMessage) => boolean | Promise<boolean>;

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  /** The booted app whose queues, failed jobs and streams the dashboard shows. */
  readonly herald: Herald;
  /**
   * Who may see it (and act, unless `readOnly`): true lets the request in, false answers 403.
   * Required in production; without it, outside production, only loopback requests are served.
   */
  readonly authorize?: DashboardAuthorize;
  /** Show only: no retry/forget/replay buttons, and every action answers 405. Default false. */
  readonly readOnly?: boolean;
  /**
   * The path the handler is served under when the server hands it full URLs (plain `http`,
   * Fastify's raw request), e.g. `/herald`. Under Express's `app.use('/herald', …)` the mount
   * path is read from the request and this may be left out.
   */
  readonly basePath?: string;
  /**
   * Payload key paths masked on job pages and downloads, besides the default secrets
   * (password, token, …): `card.number` from the event root (`*` = any key) or `email` anywhere.
   */
  readonly redact?: readonly string[];
  /** Live updates: how often the server reads herald while a page listens (ms, default 1000) and heartbeats (default 15000). */
  readonly live?: { readonly pollMs?: number; readonly heartbeatMs?: number };
}

/** The options after checks, with defaults. */
export interface ResolvedDashboardOptions {
  readonly herald: Herald;
  readonly authorize: DashboardAuthorize | undefined;
  readonly readOnly: boolean;
  readonly basePath: string;
  readonly redact: readonly string[];
  readonly pollMs: number;
  readonly heartbeatMs: number;
}

function invalid(message: string): HeraldError {
  return new HeraldError('config_invalid', `createDashboard(): ${message}`);
}

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 10)
    throw invalid(`${name} must be a number of milliseconds (10 or more), got ${JSON.stringify(value)}.`);
  return value;
}

/** Checks {@link DashboardOptions}; throws `config_invalid` naming the option and the fix. */
export function resolveDashboardOptions(
  options: DashboardOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedDashboardOptions {
  if (typeof options !== 'object' || options === null) throw invalid('pass an options object: { herald }.');
  const { herald, authorize, readOnly = false, basePath = '', redact = [], live = {} } = options;
  if (typeof herald !== 'object' || herald === null || typeof herald.stats !== 'function')
    throw invalid('`herald` must be a booted app from createHerald().');
  if (authorize !== undefined && typeof authorize !== 'function')
    throw invalid('`authorize` must be a function (request) => boolean | Promise<boolean>.');
  if (authorize === undefined && env.NODE_ENV === 'production') {
    throw invalid(
      '`authorize` is required in production (NODE_ENV=production): pass authorize: (req) => boolean, ' +
        'e.g. a check of your session or of a token. Without it the dashboard is served only to loopback requests outside production.',
    );
  }
  if (typeof readOnly !== 'boolean') throw invalid('`readOnly` must be true or false.');
  if (typeof basePath !== 'string' || (basePath !== '' && !/^(\/[\w.~-]+)+$/.test(basePath)))
    throw invalid(
      `\`basePath\` must look like "/herald" (no trailing slash), got ${JSON.stringify(basePath)}.`,
    );
  if (!Array.isArray(redact) || !redact.every((path) => typeof path === 'string'))
    throw invalid('`redact` must be an array of key paths such as ["card.number", "email"].');
  return {
    herald,
    authorize,
    readOnly,
    basePath,
    redact,
    pollMs: positive(live.pollMs, 'live.pollMs', 1000),
    heartbeatMs: positive(live.heartbeatMs, 'live.heartbeatMs', 15_000),
  };
}
