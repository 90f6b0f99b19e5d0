import type { FieldError, Problem } from "./contract.js";

/**
 * Why a token could not be had:
 * - `problem`: the service (or something in front of it) answered with an error status: a {@link TokenProblemError};
 * - `network`: no answer arrived (offline, DNS, TLS, a CORS refusal in a browser), after the retries;
 * - `unexpected_answer`: a success status without a usable token (not JSON, no token, an expiry already past);
 * - `disposed`: the source was disposed while, or before, the call ran.
 */
export type TokenSourceErrorReason = "problem" | "network" | "unexpected_answer" | "disposed";

/** Every failure of the token source. Its message never carries a token or an access token. */
export class TokenSourceError extends Error {
  override name = "TokenSourceError";
  readonly reason: TokenSourceErrorReason;

  constructor(reason: TokenSourceErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}

/**
 * The service refused: its RFC 9457 problem, read into fields. Switch on `code` (stable; an open set, so
 * handle a code you do not know by `status`). `code` is undefined when the answer was not a problem
 * document, for instance a proxy's or the platform's own error page.
 */
export class TokenProblemError extends TokenSourceError {
  override name = "TokenProblemError";
  readonly status: number;
  readonly code: string | undefined;
  readonly title: string | undefined;
  readonly detail: string | undefined;
  readonly traceId: string | undefined;
  /** Field errors, for 400 answers. */
  readonly errors: readonly FieldError[];
  /** The answer's `Retry-After`, in seconds, when it had one (429 and 503 do; a browser reads it only if the service exposes it to scripts). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, problem: Partial<Problem> | undefined, retryAfterSeconds: number | undefined) {
    const code = typeof problem?.code === "string" ? problem.code : undefined;
    const detail = typeof problem?.detail === "string" ? problem.detail : undefined;
    super(
      "problem",
      code === undefined
        ? `The token service answered ${status} without a problem document.`
        : `The token service answered ${status} ${code}${detail ? `: ${detail}` : "."}`,
    );
    this.status = status;
    this.code = code;
    this.title = typeof problem?.title === "string" ? problem.title : undefined;
    this.detail = detail;
    this.traceId = typeof problem?.traceId === "string" ? problem.traceId : undefined;
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

// A JWT's header always starts with `{"` (base64url `eyJ`): three dot-separated base64url parts.
const jwtLike = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*/g;

/**
 * Removes anything token-like from text the service sent back before it lands in an error: JWTs and the
 * exact access tokens this call presented (which need not be JWTs). The service promises never to echo
 * them; a proxy in front of it promised nothing.
 */
export function redact<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === "string") {
    let text: string = value.replace(jwtLike, "[redacted]");
    for (const secret of secrets) if (secret) text = text.split(secret).join("[redacted]");
    return text as T;
  }
  if (Array.isArray(value)) return value.map((item: unknown) => redact(item, secrets)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, secrets)])) as T;
  }
  return value;
}
