/**
 * An attempt's abort signal, made only when a listener reads `ctx.signal`: most listeners never
 * do, so an attempt nobody asks about makes no AbortController and no link to the worker's
 * shutdown signal (a per-job cost `npm run bench:queue` shows). A signal made after a timeout or
 * a shutdown is born aborted. The conformance suite holds the behaviour ("timeout - aborts
 * ctx.signal ...", test/conformance/suites/attempts.ts).
 */
export class LazyAbort {
  readonly #outer: AbortSignal | undefined;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  #unlink: (() => void) | undefined;

  /** `outer`: the worker's shutdown signal, which aborts this one too. */
  constructor(outer?: AbortSignal) {
    this.#outer = outer;
  }

  /** The signal: aborted on timeout (via {@link abort}) or when `outer` aborts. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const outer = this.#outer;
      if (this.#aborted) controller.abort(this.#reason);
      else if (outer?.aborted === true) controller.abort(outer.reason);
      else if (outer !== undefined) {
        const onAbort = () => controller.abort(outer.reason);
        outer.addEventListener('abort', onAbort, { once: true });
        this.#unlink = () => outer.removeEventListener('abort', onAbort);
      }
    }
    return this.#controller.signal;
  }

  /** Aborts the signal (now, or as soon as it is made). */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
  }

  /** Unlinks from the outer signal once the attempt is over. */
  dispose(): void {
    this.#unlink?.();
  }
}
