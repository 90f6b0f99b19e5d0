import { longestTimerMs, systemClock, untilAborted, type Clock } from "./clock.js";
import type { IssuedToken, TokenRequest, TokenRequestBody } from "./contract.js";
import { TokenSourceError } from "./errors.js";
import { issueToken, type AccessTokenProvider, type Transport } from "./issue.js";
import { lifetimeMsOf } from "./jwt.js";

export interface TokenSourceOptions {
  /** The service's base URL, the contract's server: `https://<your-function-app>.azurewebsites.net/api`. */
  baseUrl: string | URL;
  /** Bearer mode: your user's access token for the service, from your sign-in library. Omit in anonymous mode. */
  getAccessToken?: AccessTokenProvider | undefined;
  /** Lifetime to ask for, in seconds (60 up to the service's maximum). Default: the service's default. */
  ttlSeconds?: number | undefined;
  /** A token handed out is valid for at least the larger of this many seconds... Default 60. */
  minValiditySeconds?: number | undefined;
  /** ...and this fraction of its lifetime. Default 0.1. Either way at most half its lifetime. */
  minValidityFraction?: number | undefined;
  /** Renew each token a caller has asked for before it falls below that validity, without a caller waiting, until `dispose()`. Default false. */
  renewAhead?: boolean | undefined;
  /** Called with each token a renewal brought. */
  onRenewed?: ((token: IssuedToken, request: TokenRequest) => void) | undefined;
  /** Called when a renewal failed; the current token stays in use and renewal is tried again at half its remaining time. */
  onRenewalError?: ((error: unknown, request: TokenRequest) => void) | undefined;
  /** Retries of 429, 503 and unanswered requests. Defaults: 4 attempts in all; a Retry-After over 30 s fails at once. */
  retry?: { maxAttempts?: number | undefined; maxDelaySeconds?: number | undefined } | undefined;
  /** Default: the platform's `fetch`. */
  fetch?: typeof globalThis.fetch | undefined;
  /** Default: the platform's time and timers. */
  clock?: Clock | undefined;
}

interface Entry {
  token: IssuedToken;
  /** When, on this device's clock, the token stops being valid for the minimum validity. */
  staleAt: number;
  /** When it expires, on this device's clock. */
  localExpiry: number;
}

interface Flight {
  promise: Promise<Entry>;
  controller: AbortController;
  /** Callers waiting on it; when the last one gives up, the call is cancelled (unless a renewal needs it). */
  waiters: number;
  renewal: boolean;
  settled: boolean;
}

// A renewal that failed is tried again at half the remaining time, while that is at least this long.
const shortestRenewalRetryMs = 1000;

/**
 * Fetches VideoSDK tokens from the token service, caches them per request, and hands out only tokens that
 * stay valid for the minimum validity. One source per signed-in user (its tokens carry that user's id):
 * dispose it and make a new one when the user changes.
 */
export class TokenSource {
  readonly #transport: Transport;
  readonly #clock: Clock;
  readonly #options: TokenSourceOptions;
  readonly #minValidityMs: number;
  readonly #minValidityFraction: number;
  readonly #cache = new Map<string, Entry>();
  readonly #flights = new Map<string, Flight>();
  readonly #renewals = new Map<string, unknown>();
  #disposed = false;

  constructor(options: TokenSourceOptions) {
    const { baseUrl, ttlSeconds, minValiditySeconds = 60, minValidityFraction = 0.1, retry = {} } = options;
    const { maxAttempts = 4, maxDelaySeconds = 30 } = retry;
    const base = parseBaseUrl(baseUrl);
    if (ttlSeconds !== undefined && !(Number.isSafeInteger(ttlSeconds) && ttlSeconds >= 60)) {
      throw new RangeError(`TokenSource: ttlSeconds must be a whole number of seconds, 60 or more (got ${ttlSeconds}); omit it for the service's default.`);
    }
    if (!(Number.isFinite(minValiditySeconds) && minValiditySeconds >= 0)) {
      throw new RangeError(`TokenSource: minValiditySeconds must be 0 or more (got ${minValiditySeconds}).`);
    }
    if (!(minValidityFraction >= 0 && minValidityFraction <= 0.5)) {
      throw new RangeError(`TokenSource: minValidityFraction must be between 0 and 0.5 (got ${minValidityFraction}).`);
    }
    if (!(Number.isSafeInteger(maxAttempts) && maxAttempts >= 1)) {
      throw new RangeError(`TokenSource: retry.maxAttempts must be a whole number, 1 or more (got ${maxAttempts}); 1 turns retries off.`);
    }
    if (!(Number.isFinite(maxDelaySeconds) && maxDelaySeconds >= 0)) {
      throw new RangeError(`TokenSource: retry.maxDelaySeconds must be 0 or more (got ${maxDelaySeconds}).`);
    }
    for (const name of ["getAccessToken", "fetch", "onRenewed", "onRenewalError"] as const) {
      if (options[name] !== undefined && typeof options[name] !== "function") throw new TypeError(`TokenSource: ${name} must be a function.`);
    }
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.#minValidityMs = minValiditySeconds * 1000;
    this.#minValidityFraction = minValidityFraction;
    this.#transport = {
      tokenUrl: new URL("token", base),
      // Called through globalThis: a browser's fetch refuses to run detached from window.
      fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      clock: this.#clock,
      getAccessToken: options.getAccessToken,
      retry: { maxAttempts, maxDelayMs: maxDelaySeconds * 1000 },
    };
  }

  /**
   * A token for this request, valid for at least the minimum validity: the cached one while it is, else a
   * new one (callers asking for the same request at once share one call). Rejects with a
   * {@link TokenSourceError} (a {@link TokenProblemError} when the service refused), or with the signal's
   * reason once `signal` is aborted.
   */
  async getToken(request: TokenRequest = {}, { signal }: { signal?: AbortSignal | undefined } = {}): Promise<IssuedToken> {
    signal?.throwIfAborted();
    this.#throwIfDisposed();
    const key = keyOf(request);
    const cached = this.#cache.get(key);
    if (cached && this.#clock.now() < cached.staleAt) return cached.token;

    const flight = this.#flights.get(key) ?? this.#start(key, request, false);
    flight.waiters++;
    try {
      return (await untilAborted(flight.promise, signal)).token;
    } finally {
      flight.waiters--;
      if (flight.waiters === 0 && !flight.settled && !flight.renewal) this.#cancel(key, flight);
    }
  }

  /** Stops renewals, cancels calls in progress (their callers get a `disposed` error) and forgets every token. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const handle of this.#renewals.values()) this.#clock.clearTimeout(handle);
    this.#renewals.clear();
    const disposed = new TokenSourceError("disposed", "The token source was disposed.");
    for (const flight of this.#flights.values()) flight.controller.abort(disposed);
    this.#flights.clear();
    this.#cache.clear();
  }

  #throwIfDisposed() {
    if (this.#disposed) throw new TokenSourceError("disposed", "The token source was disposed.");
  }

  #start(key: string, request: TokenRequest, renewal: boolean): Flight {
    const controller = new AbortController();
    const flight: Flight = { controller, waiters: 0, renewal, settled: false, promise: this.#fetch(key, request, controller.signal) };
    const land = () => {
      flight.settled = true;
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    // Attached before any caller waits, so it runs first; it also keeps the failure of a renewal that no
    // caller waits on (reported through onRenewalError) from being an unhandled rejection.
    flight.promise.then(land, land);
    this.#flights.set(key, flight);
    return flight;
  }

  async #fetch(key: string, request: TokenRequest, signal: AbortSignal): Promise<Entry> {
    const { token, receivedAt } = await issueToken(this.#transport, this.#bodyOf(request), signal);
    const entry = this.#entryOf(token, receivedAt);
    if (!this.#disposed) {
      this.#cache.set(key, entry);
      if (this.#options.renewAhead) this.#scheduleRenewal(key, request, entry.staleAt);
    }
    return entry;
  }

  #cancel(key: string, flight: Flight) {
    if (this.#flights.get(key) === flight) this.#flights.delete(key);
    flight.controller.abort(new DOMException("Every caller waiting for this token gave up.", "AbortError"));
  }

  #bodyOf(request: TokenRequest): TokenRequestBody {
    const body: TokenRequestBody = {};
    if (request.roomId !== undefined) body.roomId = request.roomId;
    if (request.permissions !== undefined) body.permissions = request.permissions;
    if (request.participantId !== undefined) body.participantId = request.participantId;
    if (this.#options.ttlSeconds !== undefined) body.ttlSeconds = this.#options.ttlSeconds;
    return body;
  }

  #entryOf(token: IssuedToken, receivedAt: number): Entry {
    const lifetimeMs = lifetimeMsOf(token.token) ?? Date.parse(token.expiresAt) - receivedAt;
    if (!(lifetimeMs > 0)) {
      throw new TokenSourceError("unexpected_answer", `The token service answered with a token that has already expired (expiresAt ${token.expiresAt}).`);
    }
    // Never more than half the lifetime: a service issuing tokens shorter than the margin would otherwise
    // make every token stale on arrival.
    const minValidityMs = Math.min(Math.max(this.#minValidityMs, this.#minValidityFraction * lifetimeMs), lifetimeMs / 2);
    return { token, staleAt: receivedAt + lifetimeMs - minValidityMs, localExpiry: receivedAt + lifetimeMs };
  }

  #scheduleRenewal(key: string, request: TokenRequest, at: number) {
    const previous = this.#renewals.get(key);
    if (previous !== undefined) this.#clock.clearTimeout(previous);
    const delayMs = Math.min(Math.max(0, at - this.#clock.now()), longestTimerMs);
    this.#renewals.set(key, this.#clock.setTimeout(() => this.#renew(key, request, at), delayMs));
  }

  #renew(key: string, request: TokenRequest, at: number) {
    this.#renewals.delete(key);
    if (this.#disposed) return;
    const now = this.#clock.now();
    if (now < at) {
      // A timer longer than the platform allows fired early.
      this.#scheduleRenewal(key, request, at);
      return;
    }
    const current = this.#cache.get(key);
    const flight = this.#flights.get(key) ?? this.#start(key, request, true);
    flight.renewal = true;
    flight.promise.then(
      (entry) => this.#options.onRenewed?.(entry.token, request),
      (error: unknown) => {
        if (this.#disposed) return;
        this.#options.onRenewalError?.(error, request);
        const remainingMs = (current?.localExpiry ?? 0) - this.#clock.now();
        if (remainingMs / 2 >= shortestRenewalRetryMs) this.#scheduleRenewal(key, request, this.#clock.now() + remainingMs / 2);
        else if (this.#cache.get(key) === current) this.#cache.delete(key);
      },
    );
  }
}

function parseBaseUrl(baseUrl: string | URL): URL {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new TypeError("TokenSource: baseUrl must be an absolute http(s) URL, the service's /api base, e.g. https://<your-function-app>.azurewebsites.net/api");
  }
  // The user's access token travels with every call: in clear only to this machine (a local run of the service).
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new TypeError("TokenSource: baseUrl must use https unless it is this machine (localhost, 127.0.0.1, [::1]): the access token would cross the network in clear");
  }
  // Relative resolution of "token" keeps the last path segment only if the base ends with a slash.
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

// Permissions are a set: the same ones in another order are the same request.
function keyOf(request: TokenRequest): string {
  return JSON.stringify([request.roomId ?? null, request.permissions ? [...request.permissions].sort() : null, request.participantId ?? null]);
}
