import type { ConnectionConfig } from '../config/config-types.js';
import { HeraldError } from '../errors.js';
import { BullMqAdmin } from '../queue/bullmq/bullmq-admin.js';
import { BullMqDriver } from '../queue/bullmq/bullmq-driver.js';

/**
 * The operator side of a connection: a {@link BullMqAdmin} for a shared (Redis) queue, or why
 * there is none. `memory` and `sync` queues live inside the process that dispatched: another
 * process (this command) can neither see their jobs nor reach their workers.
 */
export type ConnectionAdmin =
  | { readonly shared: true; readonly admin: BullMqAdmin }
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
  if (config.driver === 'bullmq')
    return { shared: true, admin: new BullMqAdmin(new BullMqDriver(name, config)) };
  return { shared: false, driver: config.driver };
}
