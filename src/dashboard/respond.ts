import type { IncomingMessage, ServerResponse } from 'node:http';
import { html } from './html.js';

/** Sends a whole response (no body for HEAD). */
export function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}

/** Whether the client asked for JSON (the page script's fetches, API clients) rather than a page. */
export function wantsJson(request: IncomingMessage): boolean {
  const accept = request.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

/**
 * A short answer without the layout (refusals, errors): JSON for JSON clients, else a tiny page
 * with no script (the CSP still applies).
 */
export function sendMessage(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (wantsJson(request)) {
    send(
      request,
      response,
      status,
      'application/json; charset=utf-8',
      JSON.stringify({ ok: status < 400, message }),
      headers,
    );
    return;
  }
  const page = html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>herald: ${String(status)}</title></head>
<body><p data-testid="message">${message}</p></body></html>`;
  send(request, response, status, 'text/html; charset=utf-8', page.text, headers);
}
