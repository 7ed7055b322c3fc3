import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Herald } from '../app.js';
import { HeraldError } from '../errors.js';
import { writeLog } from '../logging/write-log.js';
import { isAction } from './actions.js';
import { CsrfTokens } from './csrf.js';
import {
  type DashboardOptions,
  type ResolvedDashboardOptions,
  resolveDashboardOptions,
} from './dashboard-options.js';
import { handleAction } from './handle-action.js';
import { layout } from './layout.js';
import { LiveFeed } from './live-feed.js';
import type { PageContext } from './page-context.js';
import { findFailedJob, payloadText } from './pages/job-page.js';
import { locateRequest } from './request-location.js';
import { send, sendMessage } from './respond.js';
import { pageFor } from './routes.js';
import { isLocalRequest, newNonce, setSecurityHeaders } from './security.js';

/** A Node request handler serving the dashboard; `close()` ends its live streams. */
export interface DashboardHandler {
  (request: IncomingMessage, response: ServerResponse): void;
  /** Ends open live-update streams (call before closing the server). */
  close(): void;
}

interface Dashboard {
  readonly options: ResolvedDashboardOptions;
  readonly csrf: CsrfTokens;
  readonly live: LiveFeed;
}

/** Decoded path segments; undefined when one is not valid percent-encoding. */
function segmentsOf(path: string): string[] | undefined {
  try {
    return path
      .split('/')
      .filter((part) => part !== '')
      .map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

async function allowed(
  request: IncomingMessage,
  options: ResolvedDashboardOptions,
): Promise<string | undefined> {
  if (options.authorize === undefined) {
    return isLocalRequest(request)
      ? undefined
      : 'Forbidden: without an authorize option the dashboard answers only loopback requests (no proxy). Pass createDashboard({ authorize }).';
  }
  return (await options.authorize(request)) === true ? undefined : 'Forbidden.';
}

async function handle(
  dashboard: Dashboard,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const { options, csrf, live } = dashboard;
  const nonce = newNonce();
  setSecurityHeaders(response, nonce);
  const location = locateRequest(request, options.basePath);
  if (location === undefined)
    return sendMessage(request, response, 404, `Not found: the dashboard is under ${options.basePath}.`);
  const refusal = await allowed(request, options);
  if (refusal !== undefined) return sendMessage(request, response, 403, refusal);
  const segments = segmentsOf(location.path);
  if (segments === undefined) return sendMessage(request, response, 400, 'Bad URL encoding.');
  const { mount } = location;
  if (segments[0] === 'actions') {
    const name = segments[1] ?? '';
    if (segments.length !== 2 || !isAction(name))
      return sendMessage(request, response, 404, 'No such action.');
    return handleAction(request, response, { options, csrf, mount }, name);
  }
  if (request.method !== 'GET' && request.method !== 'HEAD')
    return sendMessage(request, response, 405, 'Pages are read with GET; actions live under /actions/.', {
      allow: 'GET, HEAD',
    });
  if (segments.length === 1 && segments[0] === 'live') return live.open(request, response, mount);
  const context: PageContext = { herald: options.herald, options, ...location, nonce, csrf: csrf.issue() };
  if (segments.length === 3 && segments[0] === 'jobs' && segments[2] === 'payload') {
    const job = await findFailedJob(options.herald, segments[1] ?? '', location.query.get('connection'));
    if (job === undefined) return sendMessage(request, response, 404, 'No such failed job.');
    const file = `job-${job.id.replace(/[^\w.-]/g, '_')}.json`;
    return send(request, response, 200, 'application/json; charset=utf-8', payloadText(job, options.redact), {
      'content-disposition': `attachment; filename="${file}"`,
    });
  }
  const page = await pageFor(context, segments);
  send(request, response, page.status ?? 200, 'text/html; charset=utf-8', layout(context, page));
}

/**
 * A failure while answering (a throwing `authorize`, Redis down, a bug): 503 when the queue store
 * is unreachable, else 500, with a generic message either way. The error itself goes to the app's
 * logger (or a process warning without one): its message may hold a connection URL, a session
 * detail or a stack that a visitor must not see.
 */
function fail(herald: Herald, request: IncomingMessage, response: ServerResponse, error: unknown): void {
  const cause = error instanceof Error ? error : new Error(String(error));
  const message = `herald dashboard: ${request.method ?? 'GET'} ${request.url ?? '/'} failed: ${cause.message}`;
  if (herald.logger === undefined) process.emitWarning(message, { code: 'HERALD_DASHBOARD_ERROR' });
  else writeLog(herald.logger, 'error', { code: 'HERALD_DASHBOARD_ERROR', err: cause }, message);
  if (response.headersSent) {
    response.end();
    return;
  }
  const unavailable = HeraldError.is(error, 'queue_unavailable');
  sendMessage(
    request,
    response,
    unavailable ? 503 : 500,
    unavailable
      ? 'The dashboard could not reach the queue store; try again shortly.'
      : 'The dashboard could not answer; the error is in the server log.',
  );
}

/**
 * The herald dashboard as a Node `(req, res)` handler: overview, events, listeners, failed jobs,
 * job payloads, streams and workers, with live updates over server-sent events. Mount it in a
 * plain `http` server, Express (`app.use('/herald', dashboard)`) or Fastify (`reply.raw`).
 *
 * @throws HeraldError `config_invalid` for bad options, and when `authorize` is missing while
 *   NODE_ENV is `production`.
 * @example
 * const dashboard = createDashboard({ herald, basePath: '/herald', authorize: (req) => isAdmin(req) });
 * http.createServer((req, res) => req.url?.startsWith('/herald') ? dashboard(req, res) : app(req, res));
 */
export function createDashboard(options: DashboardOptions): DashboardHandler {
  const resolved = resolveDashboardOptions(options);
  const dashboard: Dashboard = {
    options: resolved,
    csrf: new CsrfTokens(),
    live: new LiveFeed(resolved.herald, resolved.pollMs, resolved.heartbeatMs),
  };
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    handle(dashboard, request, response).catch((error: unknown) =>
      fail(resolved.herald, request, response, error),
    );
  };
  return Object.assign(handler, { close: () => dashboard.live.close() });
}
