// The token service as the package sees it over fetch: answers per the contract (tokens with iat, exp and a
// new jti each; problems with code and traceId; Retry-After on 429 and 503), and a record of every call.
import type { ManualClock } from "./manual-clock.js";

export interface Call {
  url: string;
  method: string;
  authorization: string | null;
  contentType: string | null;
  body: Record<string, unknown>;
  signal: AbortSignal | undefined;
}

type Answer = (call: Call) => Response | Promise<Response>;

const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");

export class FakeService {
  readonly calls: Call[] = [];
  readonly #script: Answer[] = [];
  #jti = 0;
  #held: Array<() => void> | undefined;

  constructor(readonly clock: ManualClock, public ttlSeconds = 3600) {}

  /** The answers to the next calls, in order; after them every call gets a token. */
  then(...answers: Answer[]): this {
    this.#script.push(...answers);
    return this;
  }

  /** Calls wait until `release()`: lets a test start many callers while one call is in progress. */
  hold(): void {
    this.#held = [];
  }

  release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const resume of held) resume();
  }

  readonly fetch: typeof globalThis.fetch = async (input, init) => {
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const headers = new Headers(init?.headers);
    const call: Call = {
      url: String(input),
      method: init?.method ?? "GET",
      authorization: headers.get("Authorization"),
      contentType: headers.get("Content-Type"),
      body: JSON.parse(String(init?.body ?? "{}")) as Record<string, unknown>,
      signal,
    };
    this.calls.push(call);
    if (this.#held) {
      const held = this.#held;
      await new Promise<void>((resolve, reject) => {
        held.push(resolve);
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    return (this.#script.shift() ?? ((c) => this.token(c)))(call);
  };

  /** A 200 as the service gives it: a JWT (not signed: the package never verifies) with iat, exp and a new jti. */
  token(call: Call, ttlSeconds = this.ttlSeconds, issuedAt = this.clock.now()): Response {
    const iat = Math.floor(issuedAt / 1000);
    const claims = {
      apikey: "api-key", permissions: call.body.permissions ?? ["allow_join"], version: 2, roles: ["rtc"],
      ...(call.body.roomId ? { roomId: call.body.roomId } : {}),
      participantId: call.body.participantId ?? "user-42",
      iat, nbf: iat, exp: iat + ttlSeconds, jti: `jti-${++this.#jti}`,
    };
    const body = {
      token: `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`,
      expiresAt: new Date((iat + ttlSeconds) * 1000).toISOString(),
      permissions: claims.permissions,
      roomId: call.body.roomId ?? null,
      participantId: claims.participantId,
    };
    return Response.json(body, { headers: { "Cache-Control": "no-store" } });
  }
}

/** A refusal as the service writes it (problem+json, code, traceId). */
export function problem(status: number, code: string, options: { retryAfter?: string; detail?: string } = {}): Answer {
  return () =>
    new Response(
      JSON.stringify({
        type: `urn:videosdk-token-function:problem:${code}`, title: code.replace(/_/g, " "), status,
        detail: options.detail ?? `The service refused with ${code}.`, code, traceId: `trace-${code}`,
      }),
      {
        status,
        headers: {
          "Content-Type": "application/problem+json",
          "Cache-Control": "no-store",
          ...(options.retryAfter !== undefined ? { "Retry-After": options.retryAfter } : {}),
        },
      },
    );
}

/** What a token's payload says (to tell tokens apart by jti). */
export function claimsOf(token: string): { jti: string; iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as { jti: string; iat: number; exp: number };
}
