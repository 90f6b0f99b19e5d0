import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, mock, test } from "node:test";
import { inspect } from "node:util";
import { TokenProblemError, TokenSource, type TokenSourceOptions } from "../src/index.js";
import { FakeService, problem } from "./support/fake-service.js";
import { ManualClock } from "./support/manual-clock.js";

// Opaque on purpose: an access token need not be a JWT, so only its exact text can be looked for.
const accessTokens = ["opaque-access-token-one-4f1c", "opaque-access-token-two-9a7e"];

function setUp(options: Partial<TokenSourceOptions> = {}) {
  const clock = new ManualClock();
  const service = new FakeService(clock, 600);
  let next = 0;
  const source = new TokenSource({
    baseUrl: "https://tokens.example.test/api", fetch: service.fetch, clock,
    getAccessToken: () => accessTokens[next++ % accessTokens.length], ...options,
  });
  return { clock, service, source };
}

function assertNoSecret(error: unknown, secrets: readonly string[]) {
  const views = [String(error), inspect(error, { depth: Infinity, showHidden: true }), JSON.stringify(error) ?? ""];
  if (error instanceof Error) views.push(error.message, error.stack ?? "");
  for (const secret of secrets) for (const view of views) assert.ok(!view.includes(secret), `a secret appeared in: ${view.slice(0, 300)}`);
  for (const view of views) assert.doesNotMatch(view, /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\./, "a JWT appeared");
}

const consoleMethods = ["log", "info", "warn", "error", "debug", "trace"] as const;

describe("no token and no access token is ever logged or put in an error", () => {
  beforeEach(() => {
    for (const method of consoleMethods) mock.method(console, method, () => undefined);
  });
  afterEach(() => {
    for (const method of consoleMethods) assert.equal((console[method] as unknown as { mock: { callCount(): number } }).mock.callCount(), 0, `console.${method} was called`);
    mock.restoreAll();
  });

  test("a refusal whose detail echoes the access token and a token (a proxy's doing) is redacted", async () => {
    const { service, source } = setUp();
    const issued = service.token({ url: "", method: "POST", authorization: null, contentType: null, body: {}, signal: undefined });
    const { token } = (await issued.json()) as { token: string };
    service.then(problem(403, "permission_not_allowed", { detail: `refused Bearer ${accessTokens[0]} for ${token}` }));
    const error = await source.getToken().then(() => assert.fail("resolved"), (e: unknown) => e);
    assert.ok(error instanceof TokenProblemError);
    assert.equal(error.detail, "refused Bearer [redacted] for [redacted]");
    assertNoSecret(error, [...accessTokens, token]);
  });

  test("two 401s: the error names neither access token presented", async () => {
    const { service, source } = setUp();
    service.then(problem(401, "caller_token_invalid"), problem(401, "caller_token_invalid"));
    const error = await source.getToken().then(() => assert.fail("resolved"), (e: unknown) => e);
    assertNoSecret(error, accessTokens);
  });

  test("field errors are redacted too", async () => {
    const { service, source } = setUp();
    service.then(() => Response.json(
      { type: "t", title: "t", status: 400, detail: "d", code: "invalid_field_type", traceId: "x", errors: [{ field: "roomId", code: "invalid_field_type", detail: `got ${accessTokens[0]}` }] },
      { status: 400, headers: { "Content-Type": "application/problem+json" } }));
    const error = await source.getToken().then(() => assert.fail("resolved"), (e: unknown) => e);
    assertNoSecret(error, accessTokens);
  });

  test("a failed renewal reports an error without secrets, and logs nothing", async () => {
    const errors: unknown[] = [];
    const { clock, service, source } = setUp({ renewAhead: true, retry: { maxAttempts: 1 }, onRenewalError: (error) => errors.push(error) });
    const { token } = await source.getToken();
    service.then(problem(503, "signing_credentials_unavailable", { retryAfter: "5" }));
    await clock.advance(540_000);
    assert.equal(errors.length, 1);
    assertNoSecret(errors[0], [...accessTokens, token]);
    source.dispose();
  });

  test("no answer: the network error carries neither", async () => {
    const { service, source } = setUp({ retry: { maxAttempts: 1 } });
    service.then(() => Promise.reject(new TypeError("fetch failed")));
    const error = await source.getToken().then(() => assert.fail("resolved"), (e: unknown) => e);
    assertNoSecret(error, accessTokens);
  });
});
