import type { IncomingMessage } from 'node:http';

/** Where a request points inside the dashboard. */
export interface DashboardLocation {
  /** The public prefix links start with: `''`, `'/herald'`, or Express's mount path. */
  readonly mount: string;
  /** The path inside the dashboard, always starting with `/`. */
  readonly path: string;
  readonly query: URLSearchParams;
}

/** What Express (and Fastify's middie) add to a request they route into a mounted handler. */
interface MountedRequest extends IncomingMessage {
  readonly baseUrl?: unknown;
  readonly originalUrl?: unknown;
}

/**
 * Splits a request's URL into the dashboard's mount and its own path. Plain `http` and Fastify's
 * raw request carry the full URL (`basePath` is cut off); Express's `app.use('/herald', handler)`
 * has already cut its mount path from `req.url` and keeps it in `req.baseUrl`. Undefined when the
 * URL is not under `basePath` at all.
 */
export function locateRequest(request: IncomingMessage, basePath: string): DashboardLocation | undefined {
  const url = request.url ?? '/';
  const mark = url.indexOf('?');
  const rawPath = (mark === -1 ? url : url.slice(0, mark)) || '/';
  const query = new URLSearchParams(mark === -1 ? '' : url.slice(mark + 1));
  const mounted = request as MountedRequest;
  if (basePath !== '' && (rawPath === basePath || rawPath.startsWith(`${basePath}/`))) {
    return { mount: basePath, path: rawPath.slice(basePath.length) || '/', query };
  }
  if (typeof mounted.baseUrl === 'string' && mounted.baseUrl !== '') {
    return { mount: mounted.baseUrl.replace(/\/$/, ''), path: rawPath, query };
  }
  if (typeof mounted.originalUrl === 'string') {
    const original = mounted.originalUrl.split('?')[0] ?? '';
    const tail = rawPath === '/' ? '' : rawPath;
    if (original !== rawPath && original.endsWith(tail)) {
      return {
        mount: original.slice(0, original.length - tail.length).replace(/\/$/, ''),
        path: rawPath,
        query,
      };
    }
  }
  return basePath === '' ? { mount: '', path: rawPath, query } : undefined;
}
