/** Units on hand per SKU: the state the sync listener changes. */
export class Stock {
  readonly #units = new Map<string, number>([
    ['kettle', 5],
    ['teapot', 2],
  ]);

  reserve(sku: string, quantity: number): number {
    const left = (this.#units.get(sku) ?? 0) - quantity;
    if (left < 0) throw new Error(`only ${this.#units.get(sku) ?? 0} ${sku} left`);
    this.#units.set(sku, left);
    return left;
  }

  snapshot(): Record<string, number> {
    return Object.fromEntries(this.#units);
  }
}
