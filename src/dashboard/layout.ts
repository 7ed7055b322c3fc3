import { CLIENT_SCRIPT } from './client-script.js';
import { html, SafeHtml } from './html.js';
import { hrefOf, type Page, type PageContext, type Section } from './page-context.js';
import { STYLES } from './styles.js';

const SECTIONS: readonly { section: Section; path: string; label: string }[] = [
  { section: 'overview', path: '/', label: 'Overview' },
  { section: 'events', path: '/events', label: 'Events' },
  { section: 'failed', path: '/failed', label: 'Failed' },
  { section: 'streams', path: '/streams', label: 'Streams' },
  { section: 'workers', path: '/workers', label: 'Workers' },
];

/** A whole HTML document: nav, the flash message of the last action, the page, the script. */
export function layout(context: PageContext, page: Page): string {
  const flash = context.query.get('flash');
  const nav = SECTIONS.map(
    ({ section, path, label }) =>
      html`<a href="${hrefOf(context, path)}" data-testid="nav-${section}"${
        section === page.section ? html` class="active" aria-current="page"` : ''
      }>${label}</a>`,
  );
  return html`<!doctype html>
<html lang="en" data-base="${context.mount}" data-read-only="${context.options.readOnly ? 'true' : 'false'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${context.options.readOnly ? '' : context.csrf}">
<title>${page.title} · herald</title>
<style nonce="${context.nonce}">${new SafeHtml(STYLES)}</style>
</head>
<body>
<header><span class="brand">herald</span><nav data-testid="nav">${nav}</nav><span class="live" data-testid="live-status" data-state="connecting">connecting…</span></header>
<main>
${flash === null ? '' : html`<p class="flash" data-testid="flash" role="status">${flash.slice(0, 300)}</p>`}
<h1 data-testid="page-title">${page.title}</h1>
${page.body}
</main>
<script nonce="${context.nonce}">${new SafeHtml(CLIENT_SCRIPT)}</script>
</body>
</html>
`.text;
}
