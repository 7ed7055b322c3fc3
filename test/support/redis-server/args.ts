import type { StartRedisServerOptions } from './types.js';

/** The command line of a private test `redis-server`. */
export function redisArgs(
  options: StartRedisServerOptions,
  host: string,
  port: number,
  dir: string,
): string[] {
  const appendonly = options.appendonly ?? false;
  const args = [
    '--port',
    String(port),
    '--bind',
    host,
    '--dir',
    dir,
    // No RDB snapshots: tests never need them, and a snapshot fork under load only adds noise.
    '--save',
    '',
    '--appendonly',
    appendonly ? 'yes' : 'no',
    // BullMQ requires noeviction: an evicted job key is silently lost work.
    '--maxmemory-policy',
    'noeviction',
    // We own the lifecycle through the child process; a daemon would escape it.
    '--daemonize',
    'no',
  ];
  if (appendonly) args.push('--appendfsync', options.appendfsync ?? 'always');
  args.push(...(options.args ?? []));
  return args;
}
