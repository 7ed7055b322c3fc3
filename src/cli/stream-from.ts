import { InvalidArgumentError } from 'commander';

/**
 * A commander parser for `stream:replay --from`: `start`, an entry id (`<ms>-<seq>`), or an ISO
 * time, which becomes the first id of that millisecond (`<ms>-0`).
 */
export function replayFrom(value: string): 'start' | string {
  if (value === 'start') return 'start';
  if (/^\d+-\d+$/.test(value)) return value;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms) || ms < 0) {
    throw new InvalidArgumentError(
      `expected start, an entry id like 1700000000000-0, or an ISO time like 2026-01-31T12:00:00Z, got "${value}".`,
    );
  }
  return `${ms}-0`;
}
