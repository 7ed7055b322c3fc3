import { InvalidArgumentError } from 'commander';

/** A commander argument parser for whole numbers >= 1, with a message naming the fix. */
export function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`expected a whole number >= 1, got "${value}".`);
  }
  return parsed;
}

/** A commander argument parser for numbers > 0 (seconds may be fractional). */
export function positiveNumber(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || parsed <= 0) {
    throw new InvalidArgumentError(`expected a number > 0, got "${value}".`);
  }
  return parsed;
}

/** A commander parser for `a,b,c` lists of queue names. */
export function queueList(value: string): string[] {
  const queues = value.split(',').map((queue) => queue.trim());
  if (queues.some((queue) => queue === '' || queue.includes(':'))) {
    throw new InvalidArgumentError(`expected queue names separated by commas (no ':'), got "${value}".`);
  }
  return queues;
}

/** A commander parser for a TCP port to listen on: a whole number from 1 to 65535. */
export function portNumber(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > 65535) {
    throw new InvalidArgumentError(`expected a port from 1 to 65535, got "${value}".`);
  }
  return parsed;
}
