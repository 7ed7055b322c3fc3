import type { ConnectionConfig } from '../config/config-types.js';
import { HeraldError } from '../errors.js';
import { descriptorOf } from '../queue/drivers/descriptors.js';
import type { QueueAdmin } from '../queue/queue-admin.js';

/**
 * The operator side of a connection: a {@link QueueAdmin} for a shared (Redis) queue, or why
 * there is none. `memory` and `sync` queues live inside the process that dispatched: another
 * process (this command) can neither see their jobs nor reach their workers.
 */
export type ConnectionAdmin =
  | { readonly shared: true; readonly admin: QueueAdmin }
  | { readonly shared: false; readonly driver: string };

/** The admin of a named connection; unknown names fail like `queue:work` does. */
export function connectionAdmin(
  name: string,
  connections: Readonly<Record<string, ConnectionConfig>>,
): ConnectionAdmin {
  const config = Object.hasOwn(connections, name) ? connections[name] : undefined;
  if (config === undefined) {
    throw new HeraldError(
      'unknown_connection',
      `No queue connection named "${name}": configure it under queue.connections (known: ${Object.keys(connections).join(', ') || 'none'}).`,
    );
  }
  const admin = descriptorOf(config).openAdmin?.(name, config);
  return admin === undefined ? { shared: false, driver: config.driver } : { shared: true, admin };
}
