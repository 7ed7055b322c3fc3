/** The dashboard's stylesheet, sent inline under the response's CSP nonce. */
export const STYLES = `
:root { color-scheme: light; --ink: #1d2330; --muted: #6b7280; --line: #e5e7eb; --bad: #c0392b; --ok: #1e8449; --accent: #2e86de; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, Segoe UI, Roboto, sans-serif; color: var(--ink); background: #f7f8fa; }
header { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #1d2330; color: #fff; }
header .brand { font-weight: 700; letter-spacing: .5px; }
header nav a { color: #cbd5e1; text-decoration: none; margin-right: 16px; }
header nav a.active, header nav a:hover { color: #fff; }
header .live { margin-left: auto; font-size: 12px; color: #94a3b8; }
header .live[data-state="open"] { color: #7bed9f; }
main { padding: 20px 24px; max-width: 1280px; }
h1 { font-size: 20px; margin: 0 0 16px; }
h2 { font-size: 16px; margin: 24px 0 8px; }
.flash { padding: 8px 12px; background: #e8f6ef; border: 1px solid #a3e4c1; margin-bottom: 16px; }
.error-box { padding: 8px 12px; background: #fdecea; border: 1px solid #f5b7b1; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 22px; font-weight: 600; }
.card.bad .value { color: var(--bad); }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.error { color: var(--bad); max-width: 480px; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
a { color: var(--accent); }
pre.payload { background: #fff; border: 1px solid var(--line); padding: 12px; overflow: auto; max-height: 70vh; white-space: pre-wrap; overflow-wrap: anywhere; }
form.action { display: inline; margin: 0 4px 0 0; }
form.inline { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
button { font: inherit; padding: 3px 10px; border: 1px solid #cbd5e1; background: #fff; border-radius: 4px; cursor: pointer; }
button:hover { background: #eef2f7; }
.group { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin-bottom: 10px; }
.group .count { font-weight: 600; }
.pager { margin: 12px 0; display: flex; gap: 12px; }
figure.chart { margin: 12px 12px 12px 0; background: #fff; border: 1px solid var(--line); padding: 8px 12px; display: inline-block; vertical-align: top; }
figure.chart figcaption { font-size: 12px; color: var(--muted); margin-bottom: 4px; }
tr.new { background: #fff8e1; }
`;
