import type * as OtelApi from '@opentelemetry/api';
import { HeraldTracing } from './herald-tracing.js';

/** The module `@opentelemetry/api`, once imported. */
type Api = typeof OtelApi;

/**
 * Where `@opentelemetry/api` (any copy of major version 1) registers its globals: its
 * `setGlobalTracerProvider` sets `.trace` on this object, `trace.disable()` deletes it. Reading it
 * tells whether a tracer provider is registered without importing the API.
 */
const OTEL_GLOBAL = Symbol.for('opentelemetry.js.api.1');

/**
 * Dispatches and jobs between two looks at the global: reading a symbol key on `globalThis` costs
 * ~10 ns, a sixth of a whole sync dispatch (`npm run bench:dispatch`), so the answer is reused.
 * A provider registered after `createHerald` is seen within this many calls.
 */
const CALLS_PER_CHECK = 1000;

let api: Api | undefined;
let loading: Promise<void> | undefined;
let checkIn = 0;
let current: HeraldTracing | undefined;
let currentProvider: object | undefined;

function registeredProvider(): object | undefined {
  const holder = (globalThis as Record<symbol, { trace?: object } | undefined>)[OTEL_GLOBAL];
  return holder?.trace;
}

/**
 * Imports `@opentelemetry/api` once, when a tracer provider is registered; an app without it (an
 * optional peer dependency) gets no tracing and no error. `createHerald` awaits this, so a
 * provider registered before boot (OpenTelemetry's advice: in a preload) traces the first dispatch.
 */
export function prepareTracing(): Promise<void> {
  checkIn = 0;
  if (api !== undefined || registeredProvider() === undefined) return Promise.resolve();
  loading ??= import('@opentelemetry/api').then(
    (loaded) => {
      api = loaded;
      checkIn = 0;
    },
    () => {
      // Not installed where herald can resolve it: tracing stays off, as without a provider.
    },
  );
  return loading;
}

/**
 * herald's tracing when a tracer provider is registered, else undefined: the one check on the
 * dispatch and job hot paths. Off, it costs a decrement and a comparison.
 */
export function activeTracing(): HeraldTracing | undefined {
  if (--checkIn > 0) return current;
  return recheck();
}

function recheck(): HeraldTracing | undefined {
  checkIn = CALLS_PER_CHECK;
  const provider = registeredProvider();
  if (provider === undefined) {
    current = undefined;
    currentProvider = undefined;
    return undefined;
  }
  if (api === undefined) {
    void prepareTracing();
    return undefined;
  }
  if (provider !== currentProvider) {
    currentProvider = provider;
    current = new HeraldTracing(api, api.trace.getTracer('herald'));
  }
  return current;
}
