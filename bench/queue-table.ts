/** Small formatting and statistics helpers for bench/queue.ts. */

/** Prints a markdown table, columns padded; the first column left-aligned, the rest right. */
export function printMarkdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, 3, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join(' | ')} |`;
  console.log(line(headers));
  console.log(
    `|${widths.map((width, column) => (column === 0 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
  );
  for (const row of rows) console.log(line(row));
}

/** The median of some numbers (0 for none). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (nearest rank) of some numbers (0 for none). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

/** `12,345` */
export function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `1.23x` */
export function ratio(value: number): string {
  return `${value.toFixed(2)}x`;
}

/** `123.4 MB` */
export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `+4.2 %` */
export function growth(before: number, after: number): string {
  const value = ((after - before) / before) * 100;
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)} %`;
}

/** `PASS` / `FAIL` */
export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}

/** Reads a positive integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new TypeError(`${name} must be a positive integer; got "${raw}".`);
  return value;
}
