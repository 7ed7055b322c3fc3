import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventDispatcher, type Herald, HeraldError } from 'herald';
import { OrderPlaced } from './events/order-placed.js';
import { OrderShipped } from './events/order-shipped.js';
import { UserLoggedIn, UserLoggedOut } from './events/user-events.js';
import { type OrdersDatabase, PaymentDeclined } from './services/orders-database.js';
import { Stock } from './services/stock.js';

type Body = Record<string, unknown>;

async function readBody(request: IncomingMessage): Promise<Body> {
  let raw = '';
  for await (const chunk of request) raw += String(chunk);
  if (raw === '') return {};
  return JSON.parse(raw) as Body;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function text(body: Body, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new RangeError(`"${key}" is required`);
  return value;
}

/** Whether a URL is the dashboard's (`/herald`, `/herald/...`, `/herald?...`). */
function isDashboard(url: string): boolean {
  return url === '/herald' || url.startsWith('/herald/') || url.startsWith('/herald?');
}

/** What the orders API serves beside its routes. */
export interface OrdersServerOptions {
  /** With DATABASE_URL: an order is saved and its event dispatched in one transaction. */
  readonly orders?: OrdersDatabase | undefined;
  /** A herald dashboard created with `basePath: '/herald'`, served under `/herald`. */
  readonly dashboard?: ((request: IncomingMessage, response: ServerResponse) => void) | undefined;
}

/**
 * The orders API: each route does its work by dispatching an event. With `orders`, an order is
 * saved and its event dispatched in one transaction; `POST /orders?fail=1` makes its payment fail
 * after both, so it rolls back.
 */
export function createOrdersServer(herald: Herald, options: OrdersServerOptions = {}): Server {
  const { orders, dashboard } = options;
  // Any class can inject the dispatcher; here we take it from the container directly.
  const events = herald.container.get(EventDispatcher);
  const stock = herald.container.get(Stock);
  return createServer(async (request, response) => {
    // Before the body is read: the dashboard reads its own forms.
    if (dashboard !== undefined && isDashboard(request.url ?? '/')) return dashboard(request, response);
    try {
      const body = request.method === 'POST' ? await readBody(request) : {};
      const { pathname: url, searchParams } = new URL(request.url ?? '/', 'http://localhost');
      if (request.method === 'POST' && url === '/login') {
        await UserLoggedIn.dispatch(text(body, 'email'));
        return send(response, 204, null);
      }
      if (request.method === 'POST' && url === '/logout') {
        await UserLoggedOut.dispatch(text(body, 'email'));
        return send(response, 204, null);
      }
      if (request.method === 'POST' && url === '/orders') {
        const orderId = `o-${randomUUID().slice(0, 8)}`;
        const quantity = Number(body.quantity ?? 1);
        const order = new OrderPlaced(orderId, text(body, 'email'), text(body, 'sku'), quantity, new Date());
        const declined = searchParams.get('fail') === '1';
        if (orders !== undefined) await orders.place(order, declined);
        else {
          // No database, no transaction: what the dispatch started goes on whatever happens next.
          await events.dispatch(order);
          if (declined) throw new PaymentDeclined(orderId, false);
        }
        return send(response, 201, { orderId });
      }
      const ship = /^\/orders\/([\w-]+)\/ship$/.exec(url);
      if (request.method === 'POST' && ship?.[1] !== undefined) {
        await events.dispatch(new OrderShipped(ship[1], text(body, 'carrier')));
        return send(response, 202, { shipped: ship[1] });
      }
      if (request.method === 'GET' && url === '/stock') return send(response, 200, stock.snapshot());
      return send(response, 404, { error: 'not found' });
    } catch (error) {
      // A sync listener that throws rejects the dispatch with listener_failed; later listeners
      // (and the queued ones after it) did not run.
      if (error instanceof PaymentDeclined) return send(response, 402, { error: error.message });
      if (HeraldError.is(error, 'listener_failed')) {
        const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
        return send(response, 409, { error: cause });
      }
      return send(response, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  });
}
