import { HOUR_MS, MINUTE_MS } from './metrics-batch.js';

/** How long minute counts are kept (24 h) and hour counts (14 days), as the contract says. */
export const MINUTES_KEPT_MS = 24 * HOUR_MS;
export const HOURS_KEPT_MS = 14 * 24 * HOUR_MS;

/**
 * Windows up to this long are read from minute counts; longer ones from hour counts (whole
 * hours, so a 6 h window reads 7 hashes rather than 361).
 */
export const MINUTE_WINDOW_LIMIT_MS = 2 * HOUR_MS;

/** An inclusive range of period numbers (epoch minutes or epoch hours). */
export interface PeriodRange {
  readonly first: number;
  readonly last: number;
}

/** The minutes and hours still kept at `now`. */
export function readPeriods(now: number): { minutes: PeriodRange; hours: PeriodRange } {
  return {
    minutes: {
      first: Math.floor((now - MINUTES_KEPT_MS) / MINUTE_MS) + 1,
      last: Math.floor(now / MINUTE_MS),
    },
    hours: { first: Math.floor((now - HOURS_KEPT_MS) / HOUR_MS) + 1, last: Math.floor(now / HOUR_MS) },
  };
}

/**
 * Which periods a window `[since, until]` reads: minutes when it is at most
 * {@link MINUTE_WINDOW_LIMIT_MS} long, else hours; clipped to what is kept.
 */
export function resolutionOf(
  since: number,
  until: number,
): { unit: 'minute' | 'hour'; periods: PeriodRange } {
  const kept = readPeriods(until);
  if (until - since <= MINUTE_WINDOW_LIMIT_MS) {
    const first = Math.max(Math.floor(since / MINUTE_MS), kept.minutes.first);
    return { unit: 'minute', periods: { first, last: Math.floor(until / MINUTE_MS) } };
  }
  const first = Math.max(Math.floor(since / HOUR_MS), kept.hours.first);
  return { unit: 'hour', periods: { first, last: Math.floor(until / HOUR_MS) } };
}

/** Seconds a minute hash lives (24 h after its minute ends) and an hour hash (14 days after). */
export const MINUTE_TTL_SECONDS = (MINUTES_KEPT_MS + MINUTE_MS) / 1000;
export const HOUR_TTL_SECONDS = (HOURS_KEPT_MS + HOUR_MS) / 1000;
