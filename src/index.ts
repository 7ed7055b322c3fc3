// reflect-metadata must be loaded before any decorated module is evaluated: TypeScript's
// emitted `design:*` metadata calls go nowhere without it.
import 'reflect-metadata';

export {
  type FailedJobsOptions,
  Herald,
  type ListFailedOptions,
  type MetricsRegistryOptions,
} from './app.js';
export type {
  BullMqConnectionConfig,
  ConnectionConfig,
  ContainerOption,
  HeraldConfig,
  MemoryConnectionConfig,
  OutboxConfig,
  OutboxPool,
  OutboxPoolClient,
  PathsConfig,
  QueueConfig,
  RedisClientFactory,
  RedisClientRole,
  RedisClusterConfig,
  RedisClusterNode,
  RedisClusterOptions,
  RedisSentinelAddress,
  RedisSentinelConfig,
  StreamsConfig,
  StreamsConnectionConfig,
  SyncConnectionConfig,
} from './config/config-types.js';
export { defineConfig } from './config/define-config.js';
export {
  findConfigFile,
  type ImportFunction,
  type LoadConfigOptions,
  type LoadedConfig,
  loadConfig,
} from './config/load-config.js';
export { type CreateHeraldOptions, createHerald } from './create-herald.js';
export { HeraldError, type HeraldErrorKind, type HeraldErrorOptions } from './errors.js';
export { Dispatchable } from './events/dispatchable.js';
export { type AnyEventFields, Event, type EventOptions } from './events/event-decorator.js';
export { EventDispatcher, type ListenerInfo } from './events/event-dispatcher.js';
export type { ListenerContext } from './listeners/listener-context.js';
export { Listener } from './listeners/listener-decorator.js';
export type {
  BackoffOption,
  ListenerFunction,
  ListenerOptions,
  UniqueOption,
} from './listeners/listener-options.js';
export { On, Subscriber } from './listeners/subscriber-decorator.js';
export type { HeraldLogger, LogFields } from './logging/herald-logger.js';
export type { HeraldStats, ListenerStats, StatsOptions } from './metrics/herald-stats.js';
export type { WorkerHeartbeat } from './metrics/metrics-store.js';
export type { HeraldOutbox, OutboxStatus } from './outbox/herald-outbox.js';
export type { OutboxRelay, OutboxRelayOptions } from './outbox/outbox-relay.js';
export type { FailedJob } from './queue/failed/failed-job.js';
export type { JobMeta, JobPayload } from './queue/job/job-payload.js';
export type {
  DeadLetter,
  RetryDeadOutcome,
  StreamGroupState,
  StreamPartitionState,
} from './queue/stream-admin.js';
export type { ReplayOptions, StreamListenerRef, StreamsOptions } from './queue/stream-operations.js';
export type { HeraldWorker } from './queue/worker/herald-worker.js';
export type { JobReport } from './queue/worker/job-report.js';
export type { WorkOptions } from './queue/worker/work-options.js';
export { Serializable } from './serialization/serializable-decorator.js';
