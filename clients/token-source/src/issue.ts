// One logical request for a token: the HTTP call, its retries, and the one access-token refresh after a 401.
import { sleep, type Clock } from "./clock.js";
import type { IssuedToken, Problem, TokenRequestBody } from "./contract.js";
import { redact, TokenProblemError, TokenSourceError } from "./errors.js";

/** Asks the app for its user's access token to the token service (bearer mode). */
export type AccessTokenProvider = (options: {
  /** True once, after the service refused the last access token (401): return a new one, not a cached one. */
  forceRefresh: boolean;
  signal: AbortSignal;
}) => string | null | undefined | Promise<string | null | undefined>;

export interface RetryPolicy {
  /** Attempts in all for a request that meets 429, 503 or no answer (the first one included). */
  maxAttempts: number;
  /** A wait longer than this (a long `Retry-After`) is not waited out: the request fails at once. */
  maxDelayMs: number;
}

export interface Transport {
  tokenUrl: URL;
  fetch: typeof globalThis.fetch;
  clock: Clock;
  getAccessToken: AccessTokenProvider | undefined;
  retry: RetryPolicy;
}

/** Statuses retried after waiting (`Retry-After` when the answer carries one and the page may read it). */
export const retriedStatuses: readonly number[] = Object.freeze([429, 503]);

// Without a Retry-After (or a readable one) waits grow from one second, doubling.
const firstBackoffMs = 1000;
// A wait is stretched by up to this fraction, at random, so that callers refused together do not return together.
const jitter = 0.2;

export interface Issued {
  token: IssuedToken;
  receivedAt: number;
}

export async function issueToken(transport: Transport, body: TokenRequestBody, signal: AbortSignal): Promise<Issued> {
  const { clock, retry } = transport;
  const presented: string[] = [];
  let forceRefresh = false;
  let refreshed = false;
  for (let attempt = 1; ; attempt++) {
    signal.throwIfAborted();
    const accessToken = transport.getAccessToken ? await transport.getAccessToken({ forceRefresh, signal }) : undefined;
    forceRefresh = false;
    const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
    if (accessToken) {
      presented.push(accessToken);
      headers.Authorization = `Bearer ${accessToken}`;
    }

    let response: Response;
    try {
      response = await transport.fetch(transport.tokenUrl, { method: "POST", headers, body: JSON.stringify(body), signal });
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      const failure = new TokenSourceError("network", `The token service at ${transport.tokenUrl.origin} could not be reached.`, { cause: error });
      await waitBeforeRetry(attempt, undefined, failure);
      continue;
    }
    if (response.ok) return { token: await readToken(response), receivedAt: clock.now() };

    const failure = await readProblem(response, presented, clock);
    if (response.status === 401 && transport.getAccessToken && !refreshed) {
      refreshed = true;
      forceRefresh = true;
      attempt--; // the refresh has its own allowance, it does not use up a retry
      continue;
    }
    if (!retriedStatuses.includes(response.status)) throw failure;
    await waitBeforeRetry(attempt, failure.retryAfterSeconds, failure);
  }

  async function waitBeforeRetry(attempt: number, retryAfterSeconds: number | undefined, failure: TokenSourceError) {
    if (attempt >= retry.maxAttempts) throw failure;
    const baseMs = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : firstBackoffMs * 2 ** (attempt - 1);
    if (baseMs > retry.maxDelayMs) throw failure;
    await sleep(clock, Math.min(baseMs * (1 + jitter * Math.random()), retry.maxDelayMs), signal);
  }
}

async function readToken(response: Response): Promise<IssuedToken> {
  let answer: unknown;
  try {
    answer = await response.json();
  } catch (error) {
    throw new TokenSourceError("unexpected_answer", `The token service answered ${response.status} with a body that is not JSON.`, { cause: error });
  }
  const { token, expiresAt } = (answer ?? {}) as Partial<IssuedToken>;
  if (typeof token !== "string" || token === "" || typeof expiresAt !== "string" || Number.isNaN(Date.parse(expiresAt))) {
    throw new TokenSourceError("unexpected_answer", `The token service answered ${response.status} without a token and its expiresAt.`);
  }
  return answer as IssuedToken;
}

async function readProblem(response: Response, presented: readonly string[], clock: Clock): Promise<TokenProblemError> {
  let problem: Partial<Problem> | undefined;
  const text = await response.text().catch(() => "");
  if (/^application\/(problem\+)?json\b/i.test(response.headers.get("Content-Type") ?? "")) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) problem = redact(parsed as Partial<Problem>, presented);
    } catch {
      problem = undefined;
    }
  }
  return new TokenProblemError(response.status, problem, retryAfterSeconds(response.headers.get("Retry-After"), clock));
}

// RFC 9110: delay-seconds or an HTTP-date. The service sends seconds; a proxy in front of it may send a date.
function retryAfterSeconds(value: string | null, clock: Clock): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - clock.now()) / 1000));
}
