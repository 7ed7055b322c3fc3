import { html, type SafeHtml } from './html.js';

/** One bar of a chart: a label, a value and its text. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  /** `bad` draws it in the failure colour. */
  readonly tone?: 'ok' | 'bad';
}

const ROW = 22;
const LABEL_WIDTH = 180;
const BAR_WIDTH = 320;

/**
 * A horizontal bar chart as inline SVG (no script, no external file: the CSP allows neither).
 * Colours are presentation attributes, not `style`, which the CSP would block.
 */
export function barChart(testId: string, title: string, bars: readonly Bar[]): SafeHtml {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = Math.max(ROW, bars.length * ROW);
  const width = LABEL_WIDTH + BAR_WIDTH + 90;
  const rows = bars.map((bar, i) => {
    const y = i * ROW;
    const length = bar.value <= 0 ? 0 : Math.max(2, Math.round((bar.value / max) * BAR_WIDTH));
    const fill = bar.tone === 'bad' ? '#c0392b' : '#2e86de';
    return html`<g data-testid="${testId}-bar" data-label="${bar.label}" data-value="${String(bar.value)}">
<text x="0" y="${y + 15}" font-size="12" fill="#333">${bar.label.length > 26 ? `${bar.label.slice(0, 25)}…` : bar.label}</text>
<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${length}" height="${ROW - 8}" fill="${fill}"></rect>
<text x="${LABEL_WIDTH + length + 6}" y="${y + 15}" font-size="12" fill="#333">${bar.text}</text></g>`;
  });
  return html`<figure class="chart"><figcaption>${title}</figcaption>
<svg data-testid="${testId}" role="img" aria-label="${title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${
    bars.length === 0 ? html`<text x="0" y="15" font-size="12" fill="#777">no data yet</text>` : rows
  }</svg></figure>`;
}
