/**
 * Response headers that keep the console's page to itself: a Content-Security-Policy that runs only the
 * console's own script and stylesheet (no inline script or style, no eval, no plugins), talks only to its
 * own origin, and may not be framed (clickjacking); no MIME sniffing; no Referer leaving the page.
 *
 * `style-src 'self'` holds because the console sets no style attributes: the graph's SVG uses
 * presentation attributes (fill, stroke, transform), which CSP does not govern. `img-src` allows `data:`
 * for the empty favicon in index.html.
 */
import type { RequestHandler } from "express";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  // For browsers that predate frame-ancestors.
  "X-Frame-Options": "DENY",
};

export const consoleSecurityHeaders: RequestHandler = (_req, res, next) => {
  res.set(CONSOLE_SECURITY_HEADERS);
  next();
};
