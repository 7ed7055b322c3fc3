import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActionName } from './action-form.js';
import { runAction, safeBack } from './actions.js';
import type { CsrfTokens } from './csrf.js';
import type { ResolvedDashboardOptions } from './dashboard-options.js';
import { FormTooLarge, readForm } from './read-form.js';
import { sendMessage, wantsJson } from './respond.js';
import { isSameOrigin } from './security.js';

/**
 * `POST <mount>/actions/<name>`: read-only dashboards answer 405, other methods 405, a request
 * whose Origin (or Referer) is not this host or whose CSRF token (form `_csrf` or header
 * `x-csrf-token`) is not one this dashboard issued answers 403. Done, a form post is sent back
 * (303) to its `back` page with the outcome in `?flash=`; a JSON client gets `{ ok, message }`.
 */
export async function handleAction(
  request: IncomingMessage,
  response: ServerResponse,
  context: { options: ResolvedDashboardOptions; csrf: CsrfTokens; mount: string },
  action: ActionName,
): Promise<void> {
  const { options, csrf, mount } = context;
  if (options.readOnly) {
    sendMessage(request, response, 405, 'This dashboard is read-only (readOnly: true): actions are off.', {
      allow: '',
    });
    return;
  }
  if (request.method !== 'POST') {
    sendMessage(request, response, 405, 'Actions take POST (from the dashboard’s own buttons).', {
      allow: 'POST',
    });
    return;
  }
  if (!isSameOrigin(request)) {
    sendMessage(
      request,
      response,
      403,
      'Refused: the request does not come from a dashboard page of this host (Origin/Referer).',
    );
    return;
  }
  let fields: Map<string, string>;
  try {
    fields = await readForm(request);
  } catch (error) {
    if (error instanceof FormTooLarge) return sendMessage(request, response, 413, 'The form is too large.');
    throw error;
  }
  const header = request.headers['x-csrf-token'];
  if (!csrf.verify(fields.get('_csrf') ?? (typeof header === 'string' ? header : undefined))) {
    sendMessage(
      request,
      response,
      403,
      'Refused: missing or stale CSRF token. Reload the page and try again.',
    );
    return;
  }
  const outcome = await runAction(options.herald, action, fields);
  if (wantsJson(request)) return sendMessage(request, response, outcome.status, outcome.message);
  const back = new URL(safeBack(fields.get('back')), 'http://dashboard.invalid');
  back.searchParams.set('flash', outcome.message);
  response.writeHead(303, { location: `${mount}${back.pathname}${back.search}`, 'content-length': '0' });
  response.end();
}
