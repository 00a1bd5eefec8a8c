/**
 * Which request headers carry credentials, for the HTTP Task to drop when a redirect leaves the origin the
 * state machine named. Browsers drop only Authorization (and cookies by their own rules); API keys travel
 * in headers of every name (X-Api-Key, X-Auth-Token, Private-Token, X-Amz-Security-Token...), so any name
 * that looks like a credential is dropped too: losing a harmless header on a redirect costs less than
 * handing a key to a host nobody listed.
 */
const CREDENTIAL_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "www-authenticate"]);
const CREDENTIAL_LIKE = /key|token|secret|auth|session|signature|credential|password|passwd|cookie|jwt|bearer|csrf|xsrf/i;

export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADERS.has(name.toLowerCase()) || CREDENTIAL_LIKE.test(name);
}

/** Removes every credential-like header, in place. */
export function dropCredentialHeaders(headers: Headers): void {
  for (const name of [...headers.keys()]) if (isCredentialHeader(name)) headers.delete(name);
}
