import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Herald } from '../app.js';
import { displayCounters } from './counter-display.js';
import { readOverview } from './dashboard-data.js';
import { liveRowOf, recentFailures } from './failed-rows.js';

/** How many of the newest failures each poll compares. */
const WATCHED_FAILURES = 20;

/**
 * `GET <mount>/live`: server-sent events for every open page. While at least one page listens,
 * herald is read every `pollMs`; a `counters` event goes out when a displayed number changed and
 * a `failed` event with the failures that were not there before; a comment line every
 * `heartbeatMs` keeps proxies from closing an idle stream. With no page listening nothing polls.
 */
export class LiveFeed {
  readonly #herald: Herald;
  readonly #pollMs: number;
  readonly #heartbeatMs: number;
  /** Each open stream with the mount its links start with. */
  readonly #clients = new Map<ServerResponse, string>();
  #poller: NodeJS.Timeout | undefined;
  #beater: NodeJS.Timeout | undefined;
  #polling = false;
  #counters: string | undefined;
  #failedIds: Set<string> | undefined;

  constructor(herald: Herald, pollMs: number, heartbeatMs: number) {
    this.#herald = herald;
    this.#pollMs = pollMs;
    this.#heartbeatMs = heartbeatMs;
  }

  /** Opens an event stream on `response` until the client goes away. */
  open(request: IncomingMessage, response: ServerResponse, mount: string): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 3000\n: connected\n\n');
    if (this.#counters !== undefined) response.write(`event: counters\ndata: ${this.#counters}\n\n`);
    this.#clients.set(response, mount);
    const forget = () => {
      this.#clients.delete(response);
      if (this.#clients.size === 0) this.#stop();
    };
    request.on('close', forget);
    response.on('close', forget);
    if (this.#poller === undefined) this.#start();
  }

  /** Ends every open stream (the server is shutting down). */
  close(): void {
    for (const response of this.#clients.keys()) response.end();
    this.#clients.clear();
    this.#stop();
  }

  /** How many pages listen now. */
  get listeners(): number {
    return this.#clients.size;
  }

  #start(): void {
    this.#poller = setInterval(() => void this.#poll(), this.#pollMs);
    this.#beater = setInterval(() => this.#send(': heartbeat\n\n'), this.#heartbeatMs);
    this.#poller.unref();
    this.#beater.unref();
    void this.#poll();
  }

  #stop(): void {
    clearInterval(this.#poller);
    clearInterval(this.#beater);
    this.#poller = undefined;
    this.#beater = undefined;
    // A page that connects later compares against fresh numbers, not these.
    this.#counters = undefined;
    this.#failedIds = undefined;
  }

  #send(text: string | ((mount: string) => string)): void {
    for (const [response, mount] of this.#clients)
      response.write(typeof text === 'string' ? text : text(mount));
  }

  async #poll(): Promise<void> {
    if (this.#polling || this.#clients.size === 0) return;
    this.#polling = true;
    try {
      const { counters, failed } = await readOverview(this.#herald);
      const recent = await recentFailures(this.#herald, failed, WATCHED_FAILURES);
      if (this.#clients.size === 0) return;
      const shown = JSON.stringify({ values: counters, display: displayCounters(counters) });
      if (shown !== this.#counters) {
        this.#counters = shown;
        this.#send(`event: counters\ndata: ${shown}\n\n`);
      }
      const known = this.#failedIds;
      this.#failedIds = new Set(recent.map((job) => job.id));
      const fresh = known === undefined ? [] : recent.filter((job) => !known.has(job.id));
      if (fresh.length > 0) {
        this.#send(
          (mount) =>
            `event: failed\ndata: ${JSON.stringify({ rows: fresh.map((job) => liveRowOf({ mount }, job)) })}\n\n`,
        );
      }
    } catch (error) {
      // Redis down or slow: say so in a comment and keep the streams open; the next poll retries.
      const reason = (error instanceof Error ? error.message : String(error))
        .replace(/\s+/g, ' ')
        .slice(0, 200);
      this.#send(`: poll failed: ${reason}\n\n`);
    } finally {
      this.#polling = false;
    }
  }
}
