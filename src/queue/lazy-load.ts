/**
 * Loads something once, on first use: `load()` starts it and later calls share it; `value` is
 * the result once loaded (no await), `started` the load if anything asked for it (for `close()`).
 */
export class LoadOnce<T> {
  readonly #load: () => Promise<T>;
  #loading: Promise<T> | undefined;
  #value: T | undefined;

  constructor(load: () => Promise<T>) {
    this.#load = load;
  }

  load(): Promise<T> {
    this.#loading ??= this.#load().then((value) => {
      this.#value = value;
      return value;
    });
    return this.#loading;
  }

  /** The value once loaded, without waiting. */
  get value(): T | undefined {
    return this.#value;
  }

  /** The load in progress or done, or undefined when nothing asked for it yet. */
  get started(): Promise<T> | undefined {
    return this.#loading;
  }
}

/**
 * An object of async methods whose implementation loads on first call; `close()` of one that was
 * never used loads nothing. For the operator sides of the Redis drivers (QueueAdmin, StreamAdmin).
 */
export function lazyAsync<T extends { close(): Promise<void> }>(
  load: () => Promise<T>,
  methods: readonly Exclude<keyof T, 'close'>[],
): T {
  const once = new LoadOnce(load);
  const lazy: Record<string | symbol, unknown> = {
    async close() {
      // A load that failed opened nothing: there is nothing to close.
      await (await once.started?.catch(() => undefined))?.close();
    },
  };
  for (const method of methods) {
    lazy[method as string] = async (...args: unknown[]) => {
      const target = (await once.load()) as Record<string | symbol, unknown>;
      return (target[method as string] as (...a: unknown[]) => unknown).apply(target, args);
    };
  }
  return lazy as T;
}
