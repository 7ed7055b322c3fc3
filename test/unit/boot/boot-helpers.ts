import type { HeraldConfig } from '../../../src/index.js';
import { type CreateHeraldOptions, createHerald, type Herald, HeraldError } from '../../../src/index.js';

/**
 * Boots an app that must fail and returns the HeraldError it failed with. Anything else (a boot
 * that succeeds, a plain TypeError) fails the calling test.
 */
export async function bootFailure(config: HeraldConfig, options?: CreateHeraldOptions): Promise<HeraldError> {
  let herald: Herald;
  try {
    herald = await createHerald(config, options);
  } catch (error) {
    if (HeraldError.is(error)) return error;
    throw new Error(`boot failed, but not with a HeraldError: ${String(error)}`, { cause: error });
  }
  await herald.close();
  throw new Error('expected createHerald() to fail, but the app booted');
}

/** Boots an app, runs `use`, and always closes the app. */
export async function withHerald<T>(
  config: HeraldConfig,
  use: (herald: Herald) => Promise<T> | T,
  options?: CreateHeraldOptions,
): Promise<T> {
  const herald = await createHerald(config, options);
  try {
    return await use(herald);
  } finally {
    await herald.close();
  }
}
