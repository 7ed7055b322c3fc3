import { html, type SafeHtml } from './html.js';
import { backOf, type PageContext } from './page-context.js';

/** The actions the dashboard takes, each `POST <mount>/actions/<name>`. */
export type ActionName = 'retry' | 'forget' | 'retry-group' | 'retry-dead' | 'replay';

/** Extras of {@link actionForm}: a question to confirm, and where to go after (default: this page). */
export interface ActionFormExtras {
  readonly confirm?: string;
  readonly back?: string;
}

/**
 * A one-button form for an action: the CSRF token, the page to come back to and the fields.
 * Renders nothing on a read-only dashboard.
 */
export function actionForm(
  context: PageContext,
  action: ActionName,
  fields: Record<string, string>,
  label: string,
  testId: string,
  { confirm, back = backOf(context) }: ActionFormExtras = {},
): SafeHtml {
  if (context.options.readOnly) return html``;
  return html`<form class="action" method="post" action="${context.mount}/actions/${action}"${
    confirm === undefined ? '' : html` data-confirm="${confirm}"`
  }><input type="hidden" name="_csrf" value="${context.csrf}"><input type="hidden" name="back" value="${back}">${Object.entries(
    fields,
  ).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  )}<button type="submit" data-testid="${testId}">${label}</button></form>`;
}
