import { HeraldError } from '../../errors.js';
import { loggerProblem } from '../../logging/herald-logger.js';
import type { ListenerRegistry } from '../../registry/listener-registry.js';
import type { WorkOptions } from './work-options.js';

/**
 * The queues a worker of `connection` takes jobs from by default: the connection's default queue
 * and every queue its registered queued listeners name. (Queues chosen at dispatch by
 * `viaQueue()` are not known here; name them with `--queue`.)
 */
export function queuesOfConnection(
  listeners: ListenerRegistry,
  connection: string,
  defaultConnection: string,
  defaultQueue: string,
): string[] {
  const queues = new Set<string>([defaultQueue]);
  for (const definition of listeners.all()) {
    if (!definition.options.queued) continue;
    if ((definition.options.connection ?? defaultConnection) !== connection) continue;
    queues.add(definition.options.queue ?? defaultQueue);
  }
  return [...queues];
}

function positive(value: number | undefined, key: string, integer: boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isSafeInteger(value))) {
    throw new HeraldError(
      'invalid_argument',
      `work(): "${key}" must be a ${integer ? 'whole ' : ''}number > 0 (got ${String(value)}).`,
    );
  }
}

/** Checks `work()` options, naming the bad one. */
export function validateWorkOptions(options: WorkOptions): void {
  positive(options.concurrency, 'concurrency', true);
  positive(options.maxJobs, 'maxJobs', true);
  positive(options.maxTime, 'maxTime', false);
  positive(options.timeoutGrace, 'timeoutGrace', false);
  const badLogger = options.logger === undefined ? undefined : loggerProblem(options.logger);
  if (badLogger !== undefined) throw new HeraldError('invalid_argument', `work(): "logger" ${badLogger}.`);
  if (options.queues !== undefined) {
    if (!Array.isArray(options.queues) || options.queues.length === 0) {
      throw new HeraldError('invalid_argument', 'work(): "queues" must be a non-empty list of queue names.');
    }
    for (const queue of options.queues) {
      if (typeof queue !== 'string' || queue.trim() === '' || queue.includes(':')) {
        throw new HeraldError(
          'invalid_argument',
          `work(): queue name ${JSON.stringify(queue)} is invalid: use a name without ':'.`,
        );
      }
    }
  }
}
