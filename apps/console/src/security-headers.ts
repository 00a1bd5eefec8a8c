/**
 * Response headers that keep the console's page to itself: a Content-Security-Policy that runs only the
 * console's own script and stylesheet (no inline script, no eval, no plugins), talks only to its own
 * origin, and may not be framed (clickjacking); no MIME sniffing; no Referer leaving the page.
 *
 * Styles: the console sets no style attributes (the graph's SVG uses presentation attributes, which CSP
 * does not govern). The code editor (CodeMirror) writes its styles into a `<style>` element at run time;
 * the page (index.html) gets a fresh random nonce per response, in its policy's `style-src` and in a
 * `<meta name="csp-nonce">` the client hands to CodeMirror (`EditorView.cspNonce`), so only that element
 * is allowed, never `'unsafe-inline'`. `img-src` allows `data:` for the empty favicon in index.html.
 */
import { randomBytes } from "node:crypto";
import type { RequestHandler } from "express";

/** The policy; `styleNonce` only for the page itself, a new one per response. */
export function contentSecurityPolicy(styleNonce?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    styleNonce === undefined ? "style-src 'self'" : `style-src 'self' 'nonce-${styleNonce}'`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy();

/** 128 random bits, as CSP asks of a nonce. */
export function newStyleNonce(): string {
  return randomBytes(16).toString("base64");
}

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
