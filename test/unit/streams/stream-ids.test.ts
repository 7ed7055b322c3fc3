import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { replayFrom } from '../../../src/cli/stream-from.js';
import { idBefore } from '../../../src/queue/drivers/streams/stream-ids.js';

describe('stream:replay points', () => {
  it('idBefore is the id a group is set to so that `id` is delivered next', () => {
    expect(idBefore('1700000000000-3')).toBe('1700000000000-2');
    expect(idBefore('1700000000000-0')).toBe('1699999999999-18446744073709551615');
    expect(idBefore('0-0')).toBe('0-0');
    expect(idBefore('5-18446744073709551615')).toBe('5-18446744073709551614');
  });

  it('--from takes start, an entry id or an ISO time (the first id of that millisecond)', () => {
    expect(replayFrom('start')).toBe('start');
    expect(replayFrom('1700000000000-7')).toBe('1700000000000-7');
    expect(replayFrom('2026-01-31T12:00:00.250Z')).toBe(`${Date.UTC(2026, 0, 31, 12, 0, 0, 250)}-0`);
    for (const bad of ['yesterday', '1700000000000', '12-', 'not-a-date', '2026-13-45T00:00:00Z'])
      expect(() => replayFrom(bad), bad).toThrow(InvalidArgumentError);
  });
});
