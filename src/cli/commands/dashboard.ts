import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Command, InvalidArgumentError } from 'commander';
import { createDashboard } from '../../dashboard/index.js';
import { carriesToken, DASHBOARD_TOKEN_ENV, isLoopbackHost } from '../dashboard-token.js';
import { loadApp } from '../load-app.js';
import { Output } from '../output.js';

interface DashboardFlags {
  port: number;
  host: string;
  readOnly?: boolean;
}

/** A port to listen on; 0 picks a free one (the printed URL says which). */
function listenPort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError(`expected a port from 0 to 65535, got "${value}".`);
  return port;
}

/**
 * `herald dashboard`: serves the dashboard on its own HTTP server until SIGINT/SIGTERM. Off
 * loopback (or in production) it needs HERALD_DASHBOARD_TOKEN, asked of every request as a
 * bearer token or a Basic-auth password; without one it refuses to start (exit 2).
 */
export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description('serve the web dashboard: queues, failed jobs, streams, workers, live')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', listenPort, 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--read-only', 'show only: no retry, forget or replay')
    .addHelpText(
      'after',
      `
On 127.0.0.1 (the default) outside production the dashboard needs no login. Anywhere else, or
with NODE_ENV=production, set ${DASHBOARD_TOKEN_ENV}: requests must then send it as
"Authorization: Bearer <token>" or as the password of the browser's login prompt (any user).`,
    )
    .action(async (flags: DashboardFlags, command: Command) => {
      const out = new Output();
      const token = process.env[DASHBOARD_TOKEN_ENV] || undefined;
      if (token === undefined && !isLoopbackHost(flags.host)) {
        command.error(
          `error: --host ${flags.host} serves the dashboard beyond this machine, so it needs a login: set ${DASHBOARD_TOKEN_ENV}=<a long random secret> (sent as a bearer token or Basic-auth password), or keep --host 127.0.0.1.`,
          { exitCode: 2 },
        );
      }
      if (token === undefined && process.env.NODE_ENV === 'production') {
        command.error(
          `error: NODE_ENV=production needs a login for the dashboard: set ${DASHBOARD_TOKEN_ENV}=<a long random secret>.`,
          { exitCode: 2 },
        );
      }
      const { herald } = await loadApp({ configPath: command.optsWithGlobals<{ config?: string }>().config });
      const dashboard = createDashboard({
        herald,
        readOnly: flags.readOnly === true,
        ...(token === undefined ? {} : { authorize: (request) => carriesToken(request, token) }),
      });
      const server = createServer((request, response) => {
        if (token !== undefined && !carriesToken(request, token)) {
          response.writeHead(401, {
            'www-authenticate': 'Basic realm="herald", charset="UTF-8"',
            'content-type': 'text/plain',
          });
          response.end(`Log in with ${DASHBOARD_TOKEN_ENV} as the password.\n`);
          return;
        }
        dashboard(request, response);
      });
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(flags.port, flags.host, () => resolve());
        });
      } catch (error) {
        await herald.close();
        const reason =
          (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
            ? 'the port is in use: pick another --port'
            : String(error);
        throw new Error(`cannot listen on ${flags.host}:${flags.port}: ${reason}.`);
      }
      const { port } = server.address() as AddressInfo;
      const host = flags.host.includes(':') ? `[${flags.host}]` : flags.host;
      out.line(`herald dashboard: http://${host}:${port}/ (Ctrl-C stops)`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          dashboard.close();
          server.close(() => resolve());
          server.closeAllConnections();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await herald.close();
    });
}
