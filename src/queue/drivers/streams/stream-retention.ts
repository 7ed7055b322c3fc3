import type { RedisClient } from '../../redis/redis-client.js';
import { type GroupFloor, groupFloors } from './stream-floor.js';
import { compareIds, minId } from './stream-ids.js';

/** A streams connection's retention: `maxLen` entries, `maxAge` seconds per partition stream. */
export interface RetentionLimits {
  readonly maxLen?: number | undefined;
  readonly maxAge?: number | undefined;
}

/** How long a stream stays quiet after a lagging-group warning (ms). */
const WARN_QUIET_MS = 60_000;

/**
 * The id of the entry `offset` from the head of a stream (0 = the oldest), or nil: computed in
 * Redis so that only the id crosses the wire, whatever the number of entries to skip.
 */
const ID_AT_OFFSET = `local r = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', ARGV[1])
if #r == 0 then return false end
return r[#r][1]`;

/**
 * Applies `maxLen` and `maxAge` to partition streams, never trimming an entry some consumer group
 * has not read or not acknowledged: the trim point (XTRIM MINID) is the lower of what the limits
 * want and the oldest entry any group still needs. When a group holds the stream over `maxLen`,
 * `warn` gets an error naming the group, its lag and the entries held back, at most once per
 * stream per minute (test/integration/streams/streams-retention.test.ts).
 */
export class StreamRetention {
  readonly #redis: RedisClient;
  readonly #keys: readonly string[];
  readonly #limits: RetentionLimits;
  readonly #warn: (warning: Error) => void;
  readonly #warnedAt = new Map<string, number>();

  constructor(
    redis: RedisClient,
    keys: readonly string[],
    limits: RetentionLimits,
    warn: (warning: Error) => void,
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#limits = limits;
    this.#warn = warn;
  }

  /** Whether there is anything to apply (no limits: no round ever touches Redis). */
  get active(): boolean {
    return this.#limits.maxLen !== undefined || this.#limits.maxAge !== undefined;
  }

  /**
   * Trims every stream once; a stream that fails to trim does not stop the others. `unwarned`:
   * groups left out of this round's warning (a starting worker's own groups, about to read).
   */
  async round(now = Date.now(), unwarned: ReadonlySet<string> = new Set()): Promise<void> {
    if (!this.active) return;
    for (const key of this.#keys) {
      try {
        await this.#trim(key, now, unwarned);
      } catch (error) {
        this.#warn(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  async #trim(key: string, now: number, unwarned: ReadonlySet<string>): Promise<void> {
    const { maxLen, maxAge } = this.#limits;
    let wanted: string | undefined;
    if (maxAge !== undefined) wanted = `${Math.max(0, now - maxAge * 1000)}-0`;
    let excess = 0;
    let byLength: string | undefined;
    if (maxLen !== undefined) {
      excess = (await this.#redis.xlen(key)) - maxLen;
      if (excess > 0) {
        const id = await this.#redis.eval(ID_AT_OFFSET, 1, key, excess + 1);
        if (typeof id === 'string') byLength = id;
      }
    }
    if (byLength !== undefined && (wanted === undefined || compareIds(byLength, wanted) > 0))
      wanted = byLength;
    if (wanted === undefined) return;
    const floors = await groupFloors(this.#redis, key);
    const target = floors.reduce((lowest, each) => minId(lowest, each.floor), wanted);
    const trimmed = Number(await this.#redis.call('XTRIM', key, 'MINID', target));
    if (byLength === undefined || trimmed >= excess) return;
    const behind = floors.filter((each) => compareIds(each.floor, byLength) < 0 && !unwarned.has(each.group));
    if (behind.length === 0) return;
    this.#warnLagging(key, maxLen as number, excess - trimmed, behind, now);
  }

  #warnLagging(key: string, maxLen: number, heldBack: number, behind: GroupFloor[], now: number): void {
    const last = this.#warnedAt.get(key);
    if (last !== undefined && now - last < WARN_QUIET_MS) return;
    this.#warnedAt.set(key, now);
    const groups = behind
      .map(
        (each) =>
          `group "${each.group}" (lag ${each.lag ?? 'unknown'} unread, ${each.pending} pending unacknowledged)`,
      )
      .join(', ');
    const warning = new Error(
      `Stream "${key}" is ${heldBack} entries over its maxLen ${maxLen}: ${groups} holds back ${heldBack} entries it has not read or acknowledged, and retention never trims those. Run that listener's workers (or fix what fails it), or delete the group with XGROUP DESTROY if no one reads it anymore.`,
    );
    warning.name = 'StreamRetentionWarning';
    // The code a logger's record carries (logged-work-options.ts), as process.emitWarning's does.
    Object.assign(warning, { code: 'HERALD_STREAM_LAG' });
    this.#warn(warning);
  }
}
