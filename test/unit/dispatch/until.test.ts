import { beforeEach, describe, expect, it } from 'vitest';
import { Event, Listener } from '../../../src/index.js';
import { sleep, useHerald } from './support.js';

const log: string[] = [];
beforeEach(() => {
  log.length = 0;
});

@Event()
class PriceRequested {
  constructor(readonly sku: string) {}
}

@Listener(PriceRequested)
class NoAnswer {
  handle(): void {
    log.push('none');
  }
}

@Listener(PriceRequested)
class CatalogPrice {
  async handle(event: PriceRequested): Promise<number | undefined> {
    await sleep(1);
    log.push('catalog');
    return event.sku === 'known' ? 42 : undefined;
  }
}

@Listener(PriceRequested)
class FallbackPrice {
  handle(): number {
    log.push('fallback');
    return 7;
  }
}

@Listener(PriceRequested)
class NullAnswer {
  handle(): null {
    log.push('null');
    return null;
  }
}

const boot = useHerald();

describe('until()', () => {
  it('until() - returns the first result that is not undefined and stops there', async () => {
    const herald = await boot({ listeners: [NoAnswer, CatalogPrice, FallbackPrice] });
    await expect(herald.until(new PriceRequested('known'))).resolves.toBe(42);
    expect(log).toEqual(['none', 'catalog']);
  });

  it('until() - skips listeners that return undefined', async () => {
    const herald = await boot({ listeners: [NoAnswer, CatalogPrice, FallbackPrice] });
    await expect(herald.until(new PriceRequested('unknown'))).resolves.toBe(7);
    expect(log).toEqual(['none', 'catalog', 'fallback']);
  });

  it('until() - resolves to undefined when no listener returns a value', async () => {
    const herald = await boot({ listeners: [NoAnswer, CatalogPrice] });
    await expect(herald.until(new PriceRequested('unknown'))).resolves.toBeUndefined();
    expect(log).toEqual(['none', 'catalog']);
  });

  it('until() - resolves to undefined when nothing listens', async () => {
    const herald = await boot();
    await expect(herald.until(new PriceRequested('known'))).resolves.toBeUndefined();
  });

  it('until() - null counts as an answer', async () => {
    const herald = await boot({ listeners: [NullAnswer, FallbackPrice] });
    await expect(herald.until(new PriceRequested('x'))).resolves.toBeNull();
    expect(log).toEqual(['null']);
  });

  it('until() - a closure answer is returned as-is (objects by reference)', async () => {
    const herald = await boot({ listeners: [FallbackPrice] });
    const answer = { price: 1 };
    herald.listen(PriceRequested, () => answer, { order: -1 });
    await expect(herald.until(new PriceRequested('x'))).resolves.toBe(answer);
    expect(log).toEqual([]);
  });

  it('until() - is the same as events.until() on the injected dispatcher', async () => {
    const herald = await boot({ listeners: [FallbackPrice] });
    await expect(herald.events.until(new PriceRequested('x'))).resolves.toBe(7);
  });

  it('dispatch() - ignores returned values and runs every listener', async () => {
    const herald = await boot({ listeners: [CatalogPrice, FallbackPrice] });
    await expect(herald.dispatch(new PriceRequested('known'))).resolves.toBeUndefined();
    expect(log).toEqual(['catalog', 'fallback']);
  });
});
