import type { Herald } from '../app.js';
import type { ResolvedDashboardOptions } from './dashboard-options.js';
import type { SafeHtml } from './html.js';

/** The nav section a page belongs to. */
export type Section = 'overview' | 'events' | 'failed' | 'streams' | 'workers';

/** What a page renders from: the app, the request's place in the dashboard, its nonce and token. */
export interface PageContext {
  readonly herald: Herald;
  readonly options: ResolvedDashboardOptions;
  /** Public prefix of every link (`''`, `/herald`). */
  readonly mount: string;
  /** Path inside the dashboard (`/failed`). */
  readonly path: string;
  readonly query: URLSearchParams;
  /** This response's CSP nonce. */
  readonly nonce: string;
  /** A CSRF token for this page's forms. */
  readonly csrf: string;
}

/** A rendered page, before the layout wraps it. */
export interface Page {
  readonly title: string;
  readonly section: Section;
  readonly body: SafeHtml;
  readonly status?: number;
}

/** A link inside the dashboard: the mount, `path`, and the query parameters that are set. */
export function hrefOf(
  context: Pick<PageContext, 'mount'>,
  path: string,
  query: Record<string, string | number | undefined> = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const search = params.toString();
  return `${context.mount}${path}${search === '' ? '' : `?${search}`}`;
}

/** The current page as an action's `back` (path and query inside the dashboard, flash dropped). */
export function backOf(context: Pick<PageContext, 'path' | 'query'>): string {
  const params = new URLSearchParams(context.query);
  params.delete('flash');
  const search = params.toString();
  return `${context.path}${search === '' ? '' : `?${search}`}`;
}
