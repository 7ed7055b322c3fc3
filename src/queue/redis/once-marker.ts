import type { RedisClient } from './redis-client.js';

/**
 * How long a push-once marker lives when nobody forgets it (a relay that crashed after its
 * delete committed). It only has to outlast the time until another relay takes the row again.
 */
export const ONCE_MARKER_TTL_MS = 7 * 24 * 3600 * 1000;

/** The least time a marker outlives its outbox row's delete ({@link forgetOnceMarker}). */
const ONCE_MARKER_GRACE_MS = 60_000;

/**
 * `forgetOnce` of the drivers: the row was deleted, so the marker has done its work, but it is
 * kept a while longer rather than deleted: a relay that lost PostgreSQL (its row locks released,
 * the row taken and delivered by another relay) may still have this row's push in flight, and
 * that late push must find the marker. Each of a push's Redis steps (connect, check, store) is
 * bounded by the connection's `unavailableTimeout`, so the marker lives
 * max(60 s, 4 × unavailableTimeout) after the delete. Markers in Redis at any time are about
 * that many seconds of relayed rows.
 */
/** How long a forgotten marker is kept: long enough for a late push of a cut-off relay to land. */
export function onceMarkerGraceMs(unavailableTimeout: number): number {
  return Math.max(ONCE_MARKER_GRACE_MS, 4 * unavailableTimeout);
}

export async function forgetOnceMarker(
  client: RedisClient,
  marker: string,
  unavailableTimeout: number,
): Promise<void> {
  await client.pexpire(marker, onceMarkerGraceMs(unavailableTimeout));
}
