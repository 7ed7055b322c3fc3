import { describe, expect, it } from 'vitest';
import { bucketOf } from '../../../src/metrics/buckets.js';
import { emptyCounts, type ListenerCounts } from '../../../src/metrics/listener-counts.js';
import { addField, fieldsOf, metricsKeys } from '../../../src/metrics/redis-metrics.js';
import {
  HOUR_TTL_SECONDS,
  MINUTE_TTL_SECONDS,
  readPeriods,
  resolutionOf,
} from '../../../src/metrics/retention.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe('metrics retention and keys', () => {
  it('minutes live 24 h (+1 min), hours 14 days (+1 h)', () => {
    expect(MINUTE_TTL_SECONDS).toBe(24 * 3600 + 60);
    expect(HOUR_TTL_SECONDS).toBe(14 * 24 * 3600 + 3600);
    const now = 1_000 * HOUR + 30 * MINUTE;
    const kept = readPeriods(now);
    expect(kept.minutes.last - kept.minutes.first + 1).toBe(24 * 60);
    expect(kept.hours.last - kept.hours.first + 1).toBe(14 * 24);
  });

  it('a window up to 2 h reads minutes; a longer one whole hours; both clipped to what is kept', () => {
    const now = 1_000 * HOUR + 30 * MINUTE;
    expect(resolutionOf(now - 15 * MINUTE, now)).toEqual({
      unit: 'minute',
      periods: { first: now / MINUTE - 15, last: now / MINUTE },
    });
    expect(resolutionOf(now - 6 * HOUR, now)).toEqual({ unit: 'hour', periods: { first: 994, last: 1000 } });
    expect(resolutionOf(now - 30 * 24 * HOUR, now).periods.first).toBe(readPeriods(now).hours.first);
  });

  it('every key of a connection shares one hash tag (one Cluster slot per write)', () => {
    const keys = metricsKeys('herald', 'redis');
    const tags = [keys.minute(5), keys.hour(1), keys.workers, keys.worker('h:1:ab')].map(
      (key) => /\{([^}]+)\}/.exec(key)?.[1],
    );
    expect(new Set(tags)).toEqual(new Set(['redis']));
    // A prefix with its own tag wins: Redis hashes the first tag.
    expect(metricsKeys('{app}', 'redis').minute(5).startsWith('{app}:metrics:')).toBe(true);
  });

  it('hash fields round-trip a listener name holding "|" and only non-empty buckets are written', () => {
    const counts = emptyCounts();
    counts.processed = 3;
    counts.released = 1;
    counts.runtime[bucketOf(12)] = 4;
    counts.wait[bucketOf(900)] = 2;
    const fields = fieldsOf('Odd|Name', counts);
    expect(fields).toHaveLength(4);
    const back = new Map<string, ListenerCounts>();
    for (const [field, value] of fields) addField(back, field, value);
    expect(back.get('Odd|Name')).toEqual(counts);
  });
});
