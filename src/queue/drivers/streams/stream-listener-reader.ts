import type { WorkerListener } from '../../driver.js';
import { partitionKey } from './stream-keys.js';
import type { ConsumerPlace, Partition } from './stream-work.js';

/**
 * How a streams worker runs one listener, whichever way it reads the log: through its group
 * (StreamConsumer), its group one owner per partition (OrderedConsumer), or with no group at all
 * (BroadcastReader). The worker polls each in its own loop.
 */
export interface ListenerReader {
  readonly listener: WorkerListener;
  /** Prepares reading (creates the group where missing, or notes where the log ends). */
  start(): Promise<void>;
  /**
   * One round of work, blocking for new entries at most `maxBlockMs`; `'idle'` when there was
   * nothing to do and nothing is waiting.
   */
  poll(maxBlockMs: number): Promise<'idle' | 'busy'>;
  /** Called once the loop has ended, before the worker disconnects: hands back what it holds. */
  stop(): Promise<void>;
}

/** The partition streams of a listener's streams, stream by stream, partition by partition. */
export function partitionsOf(
  streams: readonly string[],
  place: Pick<ConsumerPlace, 'prefix' | 'clustered' | 'partitions'>,
): Partition[] {
  const partitions: Partition[] = [];
  for (const stream of streams) {
    for (let partition = 0; partition < place.partitions; partition++)
      partitions.push({ stream, partition, key: partitionKey(place, stream, partition) });
  }
  return partitions;
}
