import { HeraldError } from '../errors.js';
import { describeListener, type ListenerDefinition } from '../listeners/listener-definition.js';
import { descriptorOf, driversReadingListenerOption } from './drivers/descriptors.js';
import type { QueueConnections } from './queue-connections.js';

/** Listener options that only some drivers read (their descriptors' `listenerOptions`). */
const DRIVER_OPTIONS = ['startFrom', 'ordered', 'broadcast'] as const;

/**
 * Refuses, at boot, a listener that sets an option its connection's driver does not read
 * (`startFrom` on a bullmq listener, or on a sync one): silently ignoring it would start a
 * listener somewhere other than its author asked (test/unit/streams/streams-config.test.ts).
 */
export function checkDriverListenerOptions(
  definition: ListenerDefinition,
  connections: QueueConnections,
): void {
  checkRefusedOptions(definition, connections);
  for (const key of DRIVER_OPTIONS) {
    if (definition.options[key] === undefined) continue;
    const readers = driversReadingListenerOption(key);
    const where =
      readers.length === 0 ? 'no driver reads it yet' : `only ${readers.join(', ')} connections read it`;
    if (!definition.options.queued) {
      throw new HeraldError(
        'config_invalid',
        `${describeListener(definition)}: option "${key}" needs a queue connection that reads it (${where}): set connection to one.`,
      );
    }
    const name = definition.options.connection ?? connections.defaultName;
    const config = connections.config(name);
    if (config === undefined) continue; // unknown_connection is reported by the caller
    const descriptor = descriptorOf(config);
    if (descriptor.listenerOptions?.includes(key) === true) continue;
    throw new HeraldError(
      'config_invalid',
      `${describeListener(definition)}: option "${key}" is not read by its connection "${name}" (driver ${descriptor.driver}; ${where}): remove it, or move the listener to such a connection.`,
    );
  }
  if (!definition.options.queued) return;
  const name = definition.options.connection ?? connections.defaultName;
  const config = connections.config(name);
  if (config !== undefined) descriptorOf(config).checkListener?.(definition, name);
}

/**
 * Refuses a listener option its connection's driver cannot honour (`delay` on a streams
 * connection): running the listener without it would break what its author relied on.
 */
function checkRefusedOptions(definition: ListenerDefinition, connections: QueueConnections): void {
  if (!definition.options.queued) return;
  const name = definition.options.connection ?? connections.defaultName;
  const config = connections.config(name);
  if (config === undefined) return;
  const descriptor = descriptorOf(config);
  for (const key of descriptor.refusedListenerOptions ?? []) {
    const set = key === 'delay' ? definition.options.delay !== 0 : definition.options[key] !== undefined;
    if (!set) continue;
    throw new HeraldError(
      'config_invalid',
      `${describeListener(definition)}: option "${key}" cannot be honoured on its connection "${name}" (driver ${descriptor.driver}): remove it, or move the listener to a queue connection (bullmq, memory).`,
    );
  }
  const proto = definition.target?.prototype as Record<string, unknown> | undefined;
  for (const method of descriptor.refusedListenerMethods ?? []) {
    if (typeof proto?.[method] !== 'function') continue;
    throw new HeraldError(
      'config_invalid',
      `${describeListener(definition)}: method ${method}() cannot be honoured on its connection "${name}" (driver ${descriptor.driver}: one entry serves every listener of the event, so nothing is decided per listener at dispatch): remove the method (use the listener's options), or move the listener to a queue connection (bullmq, memory).`,
    );
  }
}
