import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { retriedStatuses, TokenProblemError, TokenSource, TokenSourceError, type TokenSourceOptions } from "../src/index.js";
import { FakeService, problem } from "./support/fake-service.js";
import { ManualClock, settle } from "./support/manual-clock.js";

function setUp(options: Partial<TokenSourceOptions> = {}) {
  const clock = new ManualClock();
  const service = new FakeService(clock);
  const source = new TokenSource({ baseUrl: "https://tokens.example.test/api", fetch: service.fetch, clock, ...options });
  return { clock, service, source };
}

const isProblem = (status: number, code: string) => (error: unknown) =>
  error instanceof TokenProblemError && error.status === status && error.code === code;

describe("429 and 503 are retried after Retry-After", () => {
  for (const [status, code] of [[429, "rate_limited"], [503, "signing_credentials_unavailable"], [503, "caller_authority_unavailable"]] as const) {
    test(`${status} ${code}: waits at least Retry-After, at most 20% more, then gets the token`, async () => {
      const { clock, service, source } = setUp();
      service.then(problem(status, code, { retryAfter: "5" }));
      const caller = source.getToken();
      const delay = await clock.nextTimer();
      assert.ok(delay >= 5000 && delay <= 6000, `waited ${delay} ms`);
      assert.equal(service.calls.length, 1);
      await clock.advance(delay - 1);
      assert.equal(service.calls.length, 1, "not retried before the wait is over");
      await clock.advance(1);
      await caller;
      assert.equal(service.calls.length, 2);
    });
  }

  test("the waits are jittered: callers refused together do not all come back at the same moment", async () => {
    const delays = new Set<number>();
    for (let i = 0; i < 8; i++) {
      const { clock, service, source } = setUp();
      service.then(problem(429, "rate_limited", { retryAfter: "10" }));
      const caller = source.getToken();
      const delay = await clock.nextTimer();
      delays.add(delay);
      await clock.advance(delay);
      await caller;
    }
    assert.ok(delays.size > 1, `every wait was ${[...delays].join()} ms`);
  });

  test("a Retry-After given as an HTTP date is honoured too", async () => {
    const { clock, service, source } = setUp();
    service.then(problem(503, "signing_credentials_unavailable", { retryAfter: new Date(clock.now() + 8000).toUTCString() }));
    const caller = source.getToken();
    const delay = await clock.nextTimer();
    assert.ok(delay >= 8000 && delay <= 9600, `waited ${delay} ms`);
    await clock.advance(delay);
    await caller;
  });

  test("without a Retry-After (a browser may not be allowed to read it) waits grow from 1 s, doubling", async () => {
    const { clock, service, source } = setUp();
    service.then(problem(429, "rate_limited"), problem(429, "rate_limited"), problem(429, "rate_limited"));
    const caller = source.getToken();
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const delay = await clock.nextTimer();
      waits.push(delay);
      await clock.advance(delay);
    }
    await caller;
    assert.equal(service.calls.length, 4);
    assert.ok(waits[0]! >= 1000 && waits[0]! <= 1200, `${waits}`);
    assert.ok(waits[1]! >= 2000 && waits[1]! <= 2400, `${waits}`);
    assert.ok(waits[2]! >= 4000 && waits[2]! <= 4800, `${waits}`);
  });

  test("gives up after the attempts allowed (4 by default) with the last problem", async () => {
    const { clock, service, source } = setUp();
    service.then(...Array.from({ length: 5 }, () => problem(429, "rate_limited", { retryAfter: "1" })));
    const caller = source.getToken();
    const outcome = assert.rejects(caller, isProblem(429, "rate_limited"));
    for (let i = 0; i < 3; i++) await clock.advance(await clock.nextTimer());
    await outcome;
    assert.equal(service.calls.length, 4);
  });

  test("maxAttempts 1 turns retries off", async () => {
    const { service, source } = setUp({ retry: { maxAttempts: 1 } });
    service.then(problem(503, "signing_credentials_unavailable", { retryAfter: "1" }));
    await assert.rejects(source.getToken(), isProblem(503, "signing_credentials_unavailable"));
    assert.equal(service.calls.length, 1);
  });

  test("a Retry-After beyond the cap (30 s by default) is not waited out: the call fails at once, saying how long", async () => {
    const { clock, service, source } = setUp();
    service.then(problem(429, "rate_limited", { retryAfter: "31" }));
    await assert.rejects(source.getToken(), (error: unknown) => isProblem(429, "rate_limited")(error) && (error as TokenProblemError).retryAfterSeconds === 31);
    assert.equal(service.calls.length, 1);
    assert.deepEqual(clock.pendingDelays, []);
  });

  test("a Retry-After just under the cap is waited out, the jitter never stretching the wait past the cap", async () => {
    for (let i = 0; i < 5; i++) {
      const { clock, service, source } = setUp();
      service.then(problem(429, "rate_limited", { retryAfter: "29" }));
      const caller = source.getToken();
      const delay = await clock.nextTimer();
      assert.ok(delay >= 29_000 && delay <= 30_000, `waited ${delay} ms`);
      await clock.advance(delay);
      await caller;
    }
  });

  test("the cap is configurable", async () => {
    const { clock, service, source } = setUp({ retry: { maxDelaySeconds: 120 } });
    service.then(problem(429, "rate_limited", { retryAfter: "90" }));
    const caller = source.getToken();
    await clock.advance(await clock.nextTimer());
    await caller;
    assert.equal(service.calls.length, 2);
  });

  test("a caller's abort ends the wait at once, and no further request is made", async () => {
    const { clock, service, source } = setUp();
    service.then(problem(503, "signing_credentials_unavailable", { retryAfter: "20" }));
    const controller = new AbortController();
    const caller = source.getToken({}, { signal: controller.signal });
    await clock.nextTimer();
    controller.abort();
    await assert.rejects(caller, { name: "AbortError" });
    await clock.advance(60_000);
    assert.equal(service.calls.length, 1);
  });

  test("the statuses retried are exactly 429 and 503", () => {
    assert.deepEqual(retriedStatuses, [429, 503]);
  });
});

describe("no answer at all", () => {
  test("is retried like a 503 without Retry-After, then fails as a network error carrying the cause", async () => {
    const { clock, service, source } = setUp({ retry: { maxAttempts: 2 } });
    const offline = new TypeError("fetch failed");
    service.then(() => Promise.reject(offline), () => Promise.reject(offline));
    const outcome = assert.rejects(source.getToken(), (error: unknown) =>
      error instanceof TokenSourceError && error.reason === "network" && error.cause === offline && /tokens\.example\.test/.test(error.message));
    await clock.advance(await clock.nextTimer());
    await outcome;
    assert.equal(service.calls.length, 2);
  });
});

describe("401", () => {
  test("asks the app for a new access token once (forceRefresh), and retries with it", async () => {
    const asked: boolean[] = [];
    let issued = 0;
    const { service, source } = setUp({ getAccessToken: ({ forceRefresh }) => (asked.push(forceRefresh), `access-${++issued}`) });
    service.then(problem(401, "caller_token_invalid"));
    await source.getToken();
    assert.deepEqual(asked, [false, true]);
    assert.deepEqual(service.calls.map((call) => call.authorization), ["Bearer access-1", "Bearer access-2"]);
  });

  test("a second 401 fails with the problem; the app was asked to refresh once only", async () => {
    const asked: boolean[] = [];
    const { service, source } = setUp({ getAccessToken: ({ forceRefresh }) => (asked.push(forceRefresh), "access") });
    service.then(problem(401, "caller_token_invalid"), problem(401, "caller_token_invalid"));
    await assert.rejects(source.getToken(), isProblem(401, "caller_token_invalid"));
    assert.deepEqual(asked, [false, true]);
    assert.equal(service.calls.length, 2);
  });

  test("in anonymous mode (no getAccessToken) fails at once", async () => {
    const { service, source } = setUp();
    service.then(problem(401, "caller_token_missing"));
    await assert.rejects(source.getToken(), isProblem(401, "caller_token_missing"));
    assert.equal(service.calls.length, 1);
  });

  test("the app's own failure to give an access token reaches the caller unchanged, without a request", async () => {
    const signedOut = new Error("not signed in");
    const { service, source } = setUp({ getAccessToken: () => Promise.reject(signedOut) });
    await assert.rejects(source.getToken(), (error: unknown) => error === signedOut);
    assert.equal(service.calls.length, 0);
  });

  test("the access-token call gets the request's signal", async () => {
    let seen: AbortSignal | undefined;
    const { source } = setUp({ getAccessToken: ({ signal }) => ((seen = signal), "access") });
    await source.getToken();
    assert.ok(seen instanceof AbortSignal);
  });
});

describe("every other refusal fails at once as a TokenProblemError", () => {
  for (const [status, code] of [[400, "room_id_invalid"], [403, "permission_not_allowed"], [403, "participant_mismatch"], [500, "internal_error"], [404, "a_code_from_a_later_version"]] as const) {
    test(`${status} ${code}`, async () => {
      const { clock, service, source } = setUp();
      service.then(problem(status, code, { detail: `detail of ${code}` }));
      const error = await source.getToken({ roomId: "r1" }).then(() => assert.fail("resolved"), (e: unknown) => e);
      assert.ok(error instanceof TokenProblemError);
      assert.equal(error.reason, "problem");
      assert.equal(error.status, status);
      assert.equal(error.code, code);
      assert.equal(error.detail, `detail of ${code}`);
      assert.equal(error.traceId, `trace-${code}`);
      assert.match(error.message, new RegExp(`${status} ${code}: detail of ${code}`));
      assert.equal(service.calls.length, 1);
      assert.deepEqual(clock.pendingDelays, []);
    });
  }

  test("field errors of a 400 are carried", async () => {
    const { service, source } = setUp();
    const errors = [{ field: "roomId", code: "room_id_invalid", detail: "roomId may hold only A-Z a-z 0-9 - _." }];
    service.then(() => Response.json({ type: "t", title: "t", status: 400, detail: "d", code: "room_id_invalid", errors, traceId: "x" }, { status: 400, headers: { "Content-Type": "application/problem+json" } }));
    await assert.rejects(source.getToken({ roomId: "r1" }), (error: unknown) => error instanceof TokenProblemError && JSON.stringify(error.errors) === JSON.stringify(errors));
  });

  test("an answer that is not a problem document (a proxy's page) has a status and no code", async () => {
    const { service, source } = setUp();
    service.then(() => new Response("<html>Bad Gateway</html>", { status: 502, headers: { "Content-Type": "text/html" } }));
    await assert.rejects(source.getToken(), (error: unknown) =>
      error instanceof TokenProblemError && error.status === 502 && error.code === undefined && /502 without a problem document/.test(error.message));
    assert.equal(service.calls.length, 1);
  });

  test("a 503 that is not a problem document is still retried (by status)", async () => {
    const { clock, service, source } = setUp();
    service.then(() => new Response("Service Unavailable", { status: 503 }));
    const caller = source.getToken();
    await clock.advance(await clock.nextTimer());
    await caller;
    assert.equal(service.calls.length, 2);
  });
});

describe("a success without a usable token", () => {
  const answers: Array<[string, () => Response]> = [
    ["a body that is not JSON", () => new Response("ok", { status: 200 })],
    ["no token", () => Response.json({ expiresAt: "2026-12-07T13:00:00Z" })],
    ["no expiresAt", () => Response.json({ token: "a.b.c" })],
  ];
  for (const [name, answer] of answers) {
    test(`${name} fails as unexpected_answer, not retried`, async () => {
      const { service, source } = setUp();
      service.then(answer);
      await assert.rejects(source.getToken(), (error: unknown) => error instanceof TokenSourceError && error.reason === "unexpected_answer");
      assert.equal(service.calls.length, 1);
    });
  }

  test("a token that has already expired fails as unexpected_answer", async () => {
    const { clock, service, source } = setUp();
    service.then((call) => service.token(call, -60));
    await assert.rejects(source.getToken(), (error: unknown) => error instanceof TokenSourceError && error.reason === "unexpected_answer");
    await settle();
    assert.deepEqual(clock.pendingDelays, []);
  });
});
