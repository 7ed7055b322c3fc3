import { createServer, type Server } from 'node:http';
import { HeraldError } from '../errors.js';

/** What the server reads at each scrape: a prom-client Registry. */
export interface ScrapedRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
}

/** A running `/metrics` server. */
export interface MetricsServer {
  /** `http://host:port/metrics`. */
  readonly url: string;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/** Why listening failed, worded for `--metrics-port`. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): HeraldError {
  const where = `${host}:${port}`;
  const reason =
    error.code === 'EADDRINUSE'
      ? `port ${port} is already in use on ${host}; stop what listens there or pick another --metrics-port`
      : error.code === 'EACCES'
        ? `not allowed to listen on ${where}; pick a port above 1023`
        : `cannot listen on ${where} (${error.message}); check --metrics-host and --metrics-port`;
  return new HeraldError('invalid_argument', `Cannot serve Prometheus metrics: ${reason}.`, { cause: error });
}

/**
 * Serves `registry` at `GET /metrics` (any query string) on a plain HTTP server, 404 elsewhere,
 * 405 for other methods. A failed collect answers 500 with its message rather than crashing the
 * worker. Resolves once listening; rejects with `invalid_argument` naming the port when it cannot.
 */
export async function serveMetrics(
  registry: ScrapedRegistry,
  host: string,
  port: number,
): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: herald serves /metrics\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('Use GET\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) =>
        response
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`collecting metrics failed: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    server.listen(port, host, () => resolve());
  });
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
