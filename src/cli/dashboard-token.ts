import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The env variable `herald dashboard` reads its access token from. */
export const DASHBOARD_TOKEN_ENV = 'HERALD_DASHBOARD_TOKEN';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Whether a request carries the token: `Authorization: Bearer <token>`, or Basic auth with the
 * token as the password (any user name), which is what a browser's login prompt sends.
 */
export function carriesToken(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization ?? '';
  const [scheme, value = ''] = header.split(' ', 2);
  let given: string | undefined;
  if (scheme?.toLowerCase() === 'bearer') given = value;
  else if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    given = colon === -1 ? undefined : decoded.slice(colon + 1);
  }
  // Compare digests: equal lengths for timingSafeEqual, and no early exit on the first byte.
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** Whether `--host` keeps the server on this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
