/**
 * Security headers for every response: a strict Content Security Policy (the web client
 * loads nothing but its own origin, requirement P2/T1), HSTS only when this server
 * terminates TLS, no referrer, and a Permissions-Policy that grants camera, microphone
 * and screen capture to this origin alone.
 */
import type { FastifyHelmetOptions } from '@fastify/helmet';

/** The `Permissions-Policy` header value. */
export const PERMISSIONS_POLICY =
  'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()';

/** The WebSocket origin matching an http(s) origin (`https:` → `wss:`). */
export function websocketOrigin(publicUrl: string): string {
  const url = new URL(publicUrl);
  return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
}

/** Helmet options for a deployment reached at `publicUrl`, with or without TLS here. */
export function helmetOptions(publicUrl: string, tls: boolean): FastifyHelmetOptions {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'", websocketOrigin(publicUrl)],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  };
  if (tls) directives['upgrade-insecure-requests'] = [];
  return {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives },
    // Sent only over TLS: browsers ignore it on plain HTTP, and a loopback development
    // server must not pin HTTPS for localhost.
    strictTransportSecurity: tls ? { maxAge: 63_072_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  };
}
