/**
 * The lifetime the service gave a token, `exp - iat` in milliseconds, read from the JWT's payload (not
 * verified: only VideoSDK can, and the lifetime is all that is needed). Counting that lifetime from when
 * the answer arrived makes expiry independent of how wrong the device's clock is. Undefined when the
 * token is not a JWT with whole-number `iat` and `exp`.
 */
export function lifetimeMsOf(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (payload === undefined) return undefined;
  let claims: unknown;
  try {
    const base64 = payload.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), "="));
    claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
  } catch {
    return undefined;
  }
  if (claims === null || typeof claims !== "object") return undefined;
  const { iat, exp } = claims as { iat?: unknown; exp?: unknown };
  return Number.isSafeInteger(iat) && Number.isSafeInteger(exp) ? ((exp as number) - (iat as number)) * 1000 : undefined;
}
