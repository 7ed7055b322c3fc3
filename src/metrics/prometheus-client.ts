import type * as PromClientModule from 'prom-client';
import { HeraldError } from '../errors.js';

/** The module `prom-client`, once imported. */
export type PromClient = typeof PromClientModule;

/** The package herald's Prometheus series are made with (an optional peer dependency). */
const PROM_CLIENT = 'prom-client';

/**
 * Imports `prom-client` when Prometheus series are first asked for (`herald.metricsRegistry()`,
 * `queue:work --metrics-port`): an app that never asks does not need it installed. When it cannot
 * be imported, fails with `unsupported` naming the fix. `specifier` is for tests only.
 */
export async function loadPromClient(specifier: string = PROM_CLIENT): Promise<PromClient> {
  try {
    return (await import(specifier)) as PromClient;
  } catch (error) {
    throw new HeraldError(
      'unsupported',
      `herald's Prometheus metrics need the "${specifier}" package, which could not be loaded (${error instanceof Error ? error.message : String(error)}). Install it beside herald: npm install prom-client`,
      { cause: error },
    );
  }
}
