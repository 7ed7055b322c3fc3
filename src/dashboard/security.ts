import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A fresh nonce for one response's script and style elements. */
export function newNonce(): string {
  return randomBytes(18).toString('base64');
}

/**
 * The strict policy every response carries: nothing loads but this response's nonce'd script and
 * style, same-origin fetches (the live stream) and images from itself or data: URLs.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Sets the security headers of every dashboard response (pages, errors, downloads, live). */
export function setSecurityHeaders(response: ServerResponse, nonce: string): void {
  response.setHeader('content-security-policy', contentSecurityPolicy(nonce));
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'same-origin');
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('cache-control', 'no-store');
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** Whether an address is the machine's own (127.0.0.0/8, ::1, or IPv4-mapped 127.x). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && LOOPBACK.test(address);
}

/**
 * Whether a request came over loopback on both ends and not through a proxy: what lets the
 * dashboard skip `authorize` outside production. A proxy on the same machine would make every
 * visitor look local, so a forwarding header means "not local".
 */
export function isLocalRequest(request: IncomingMessage): boolean {
  const { headers, socket } = request;
  if (headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined) return false;
  return isLoopbackAddress(socket.remoteAddress) && isLoopbackAddress(socket.localAddress);
}

/**
 * Whether a state-changing request comes from a page of this host: its Origin (else Referer)
 * must name the Host it was sent to. Browsers send Origin on every cross-site POST, so a form on
 * another site fails here even before the CSRF token is checked.
 */
export function isSameOrigin(request: IncomingMessage): boolean {
  const host = request.headers.host;
  if (host === undefined) return false;
  // An empty Origin says nothing: fall back to the Referer as for a missing one.
  const origin = request.headers.origin || request.headers.referer;
  if (origin === undefined || origin === '' || origin === 'null') return false;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === host;
  } catch {
    return false;
  }
}
