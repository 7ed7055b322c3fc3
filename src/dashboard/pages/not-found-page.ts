import { html } from '../html.js';
import type { Page } from '../page-context.js';

/** A 404 page saying what was not found. */
export function notFoundPage(message: string): Page {
  return {
    title: 'Not found',
    section: 'overview',
    status: 404,
    body: html`<p class="error-box" data-testid="not-found">${message}</p>`,
  };
}
