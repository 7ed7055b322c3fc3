/**
 * Attribute names of OpenTelemetry's messaging semantic conventions, and herald's own. Spelled
 * out here instead of importing `@opentelemetry/semantic-conventions`: a few strings are not
 * worth a dependency.
 */
export const ATTR = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  messageId: 'messaging.message.id',
  conversationId: 'messaging.message.conversation_id',
  event: 'herald.event',
  listener: 'herald.listener',
  attempt: 'herald.attempt',
} as const;

/**
 * `messaging.system` of a connection's driver. The conventions list no Redis-based system, so
 * herald names them: `bullmq` (jobs in BullMQ on Redis), `redis_streams` (the `streams` driver),
 * `memory` (in-process queue), `sync` (runs on push).
 */
export function messagingSystemOf(driver: string): string {
  return driver === 'streams' ? 'redis_streams' : driver;
}
