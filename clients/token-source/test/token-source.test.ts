import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TokenSource, TokenSourceError, type TokenSourceOptions } from "../src/index.js";
import { claimsOf, FakeService } from "./support/fake-service.js";
import { ManualClock, settle } from "./support/manual-clock.js";

const baseUrl = "https://tokens.example.test/api";

function setUp(options: Partial<TokenSourceOptions> = {}, ttlSeconds = 3600) {
  const clock = new ManualClock();
  const service = new FakeService(clock, ttlSeconds);
  const source = new TokenSource({ baseUrl, fetch: service.fetch, clock, ...options });
  return { clock, service, source };
}

describe("the request", () => {
  test("is a POST of the request's fields and the configured lifetime to {baseUrl}/token, as JSON", async () => {
    const { service, source } = setUp({ ttlSeconds: 900 });
    await source.getToken({ roomId: "abcd-efgh-ijkl", permissions: ["allow_join"], participantId: "user-7" });
    assert.equal(service.calls.length, 1);
    const [call] = service.calls;
    assert.equal(call!.url, "https://tokens.example.test/api/token");
    assert.equal(call!.method, "POST");
    assert.equal(call!.contentType, "application/json");
    assert.deepEqual(call!.body, { roomId: "abcd-efgh-ijkl", permissions: ["allow_join"], participantId: "user-7", ttlSeconds: 900 });
    assert.equal(call!.authorization, null, "anonymous mode sends no credentials");
  });

  test("sends no field the caller did not ask for", async () => {
    const { service, source } = setUp();
    await source.getToken();
    assert.deepEqual(service.calls[0]!.body, {});
  });

  test("a base URL with a trailing slash reaches the same endpoint", async () => {
    const { service, source } = setUp({ baseUrl: `${baseUrl}/` });
    await source.getToken();
    assert.equal(service.calls[0]!.url, "https://tokens.example.test/api/token");
  });

  test("in bearer mode carries the app's access token", async () => {
    const asked: boolean[] = [];
    const { service, source } = setUp({ getAccessToken: ({ forceRefresh }) => (asked.push(forceRefresh), "access-1") });
    await source.getToken({ roomId: "r1" });
    assert.equal(service.calls[0]!.authorization, "Bearer access-1");
    assert.deepEqual(asked, [false]);
  });

  test("returns the service's answer: token, expiresAt, permissions, roomId and participantId", async () => {
    const { source } = setUp();
    const issued = await source.getToken({ roomId: "r1", permissions: ["allow_join"] });
    assert.equal(issued.roomId, "r1");
    assert.equal(issued.participantId, "user-42");
    assert.deepEqual(issued.permissions, ["allow_join"]);
    assert.equal(Date.parse(issued.expiresAt), (claimsOf(issued.token).exp) * 1000);
  });
});

describe("the cache and the minimum validity", () => {
  test("a second call for the same request is answered from the cache", async () => {
    const { service, source } = setUp();
    const first = await source.getToken({ roomId: "r1" });
    const second = await source.getToken({ roomId: "r1" });
    assert.equal(second.token, first.token);
    assert.equal(service.calls.length, 1);
  });

  test("the same permissions in another order are the same request", async () => {
    const { service, source } = setUp();
    await source.getToken({ roomId: "r1", permissions: ["allow_join", "allow_mod"] });
    await source.getToken({ roomId: "r1", permissions: ["allow_mod", "allow_join"] });
    assert.equal(service.calls.length, 1);
  });

  test("another room, other permissions or another participant is another token", async () => {
    const { service, source } = setUp();
    await source.getToken({ roomId: "r1" });
    await source.getToken({ roomId: "r2" });
    await source.getToken({ roomId: "r1", permissions: ["ask_join"] });
    await source.getToken({ roomId: "r1", participantId: "user-9" });
    await source.getToken();
    assert.equal(service.calls.length, 5);
  });

  // A one-hour token: 10% of its lifetime (360 s) is more than 60 s.
  test("a one-hour token is handed out until 360 s before it expires, then replaced", async () => {
    const { clock, service, source } = setUp({}, 3600);
    const first = await source.getToken({ roomId: "r1" });
    await clock.advance((3600 - 361) * 1000);
    assert.equal((await source.getToken({ roomId: "r1" })).token, first.token);
    await clock.advance(2000);
    const renewed = await source.getToken({ roomId: "r1" });
    assert.notEqual(claimsOf(renewed.token).jti, claimsOf(first.token).jti);
    assert.equal(service.calls.length, 2);
  });

  // A five-minute token: 10% (30 s) is less than 60 s.
  test("a five-minute token is handed out until 60 s before it expires", async () => {
    const { clock, service, source } = setUp({}, 300);
    const first = await source.getToken();
    await clock.advance(239_000);
    assert.equal((await source.getToken()).token, first.token);
    await clock.advance(2000);
    assert.notEqual((await source.getToken()).token, first.token);
    assert.equal(service.calls.length, 2);
  });

  test("the minimum validity is configurable in seconds and as a fraction of the lifetime", async () => {
    const { clock, service, source } = setUp({ minValiditySeconds: 600, minValidityFraction: 0 }, 3600);
    const first = await source.getToken();
    await clock.advance(2999_000);
    assert.equal((await source.getToken()).token, first.token);
    await clock.advance(2000);
    assert.notEqual((await source.getToken()).token, first.token);

    const byFraction = setUp({ minValiditySeconds: 0, minValidityFraction: 0.5 }, 3600);
    const token = await byFraction.source.getToken();
    await byFraction.clock.advance(1799_000);
    assert.equal((await byFraction.source.getToken()).token, token.token);
    await byFraction.clock.advance(2000);
    assert.notEqual((await byFraction.source.getToken()).token, token.token);
    assert.equal(service.calls.length + byFraction.service.calls.length, 4);
  });

  test("a token shorter than twice the margin is kept for half its lifetime, not refetched on every call", async () => {
    const { clock, service, source } = setUp({}, 60);
    const first = await source.getToken();
    await clock.advance(29_000);
    assert.equal((await source.getToken()).token, first.token);
    assert.equal(service.calls.length, 1);
    await clock.advance(2000);
    assert.notEqual((await source.getToken()).token, first.token);
  });

  test("expiry is counted from the token's own lifetime, so a device clock an hour fast still uses it", async () => {
    const { clock, service, source } = setUp({}, 3600);
    // The service's clock is an hour behind the device's: expiresAt is "now" on the device's clock.
    service.then((call) => service.token(call, 3600, clock.now() - 3600_000));
    const first = await source.getToken();
    await clock.advance(60_000);
    assert.equal((await source.getToken()).token, first.token);
    assert.equal(service.calls.length, 1);
  });

  test("a failure is not cached: the next call asks again", async () => {
    const { service, source } = setUp();
    service.then(() => new Response("{}", { status: 500, headers: { "Content-Type": "application/problem+json" } }));
    await assert.rejects(source.getToken());
    await source.getToken();
    assert.equal(service.calls.length, 2);
  });
});

describe("single flight", () => {
  test("callers asking for the same request while it is in flight share one call", async () => {
    const { service, source } = setUp();
    service.hold();
    const callers = [source.getToken({ roomId: "r1" }), source.getToken({ roomId: "r1" })];
    await settle();
    callers.push(source.getToken({ roomId: "r1" }), source.getToken({ roomId: "r1", permissions: undefined }));
    await settle();
    assert.equal(service.calls.length, 1);
    service.release();
    const tokens = new Set((await Promise.all(callers)).map((issued) => issued.token));
    assert.equal(tokens.size, 1);
    assert.equal(service.calls.length, 1);
  });

  test("different rooms do not share a call", async () => {
    const { service, source } = setUp();
    service.hold();
    const callers = [source.getToken({ roomId: "r1" }), source.getToken({ roomId: "r2" }), source.getToken({ roomId: "r1" })];
    await settle();
    assert.deepEqual(service.calls.map((call) => call.body.roomId), ["r1", "r2"]);
    service.release();
    const [r1, r2, r1Again] = await Promise.all(callers);
    assert.equal(r1!.token, r1Again!.token);
    assert.notEqual(r1!.token, r2!.token);
  });
});

describe("AbortSignal", () => {
  test("an aborted signal fails the call at once, without a request", async () => {
    const { service, source } = setUp();
    await assert.rejects(source.getToken({}, { signal: AbortSignal.abort() }), { name: "AbortError" });
    assert.equal(service.calls.length, 0);
  });

  test("a caller who gives up leaves the shared call to the others", async () => {
    const { service, source } = setUp();
    service.hold();
    const impatient = new AbortController();
    const leaving = source.getToken({ roomId: "r1" }, { signal: impatient.signal });
    const staying = source.getToken({ roomId: "r1" });
    await settle();
    impatient.abort();
    await assert.rejects(leaving, { name: "AbortError" });
    assert.equal(service.calls[0]!.signal!.aborted, false);
    service.release();
    await staying;
    assert.equal(service.calls.length, 1);
  });

  test("when every caller gives up, the request itself is cancelled and the next caller starts afresh", async () => {
    const { service, source } = setUp();
    service.hold();
    const controller = new AbortController();
    const callers = [source.getToken({ roomId: "r1" }, { signal: controller.signal }), source.getToken({ roomId: "r1" }, { signal: controller.signal })];
    await settle();
    controller.abort();
    await Promise.all(callers.map((caller) => assert.rejects(caller, { name: "AbortError" })));
    assert.equal(service.calls[0]!.signal!.aborted, true);
    service.release();
    await source.getToken({ roomId: "r1" });
    assert.equal(service.calls.length, 2);
  });
});

describe("renewal ahead of expiry", () => {
  test("is off unless asked for: no timer, no call while nobody asks", async () => {
    const { clock, service, source } = setUp({}, 600);
    await source.getToken({ roomId: "r1" });
    assert.deepEqual(clock.pendingDelays, []);
    await clock.advance(3600_000);
    assert.equal(service.calls.length, 1);
  });

  test("renews a token when it falls below the minimum validity, without a caller, and hands out the new one", async () => {
    const renewed: string[] = [];
    const { clock, service, source } = setUp({ renewAhead: true, onRenewed: (issued) => renewed.push(issued.token) }, 600);
    const first = await source.getToken({ roomId: "r1" });
    assert.deepEqual(clock.pendingDelays, [540_000]);
    await clock.advance(539_000);
    assert.equal(service.calls.length, 1);
    await clock.advance(1000);
    assert.equal(service.calls.length, 2);
    const second = await source.getToken({ roomId: "r1" });
    assert.equal(service.calls.length, 2, "the caller got the renewed token from the cache");
    assert.notEqual(claimsOf(second.token).jti, claimsOf(first.token).jti);
    assert.deepEqual(renewed, [second.token]);
    await clock.advance(540_000);
    assert.equal(service.calls.length, 3, "and it goes on renewing");
  });

  test("renews each request's token on its own schedule", async () => {
    const { clock, service, source } = setUp({ renewAhead: true }, 600);
    await source.getToken({ roomId: "r1" });
    await clock.advance(100_000);
    await source.getToken({ roomId: "r2" });
    await clock.advance(440_000);
    assert.deepEqual(service.calls.map((call) => call.body.roomId), ["r1", "r2", "r1"]);
    await clock.advance(100_000);
    assert.deepEqual(service.calls.map((call) => call.body.roomId), ["r1", "r2", "r1", "r2"]);
  });

  test("a renewal further away than a platform timer can wait (24.8 days) still happens on time, not early", async () => {
    const { clock, service, source } = setUp({ renewAhead: true }, 30 * 86_400);
    await source.getToken();
    await clock.advance(26 * 86_400_000);
    assert.equal(service.calls.length, 1, "the 24.8-day timer fired, but 27 days are not over");
    await clock.advance(86_400_000);
    assert.equal(service.calls.length, 2);
  });

  test("a failed renewal keeps the current token, reports the error, and tries again at half the remaining time", async () => {
    const errors: unknown[] = [];
    const { clock, service, source } = setUp({ renewAhead: true, retry: { maxAttempts: 1 }, onRenewalError: (error) => errors.push(error) }, 600);
    const first = await source.getToken();
    service.then(() => new Response("down", { status: 502 }));
    await clock.advance(540_000);
    assert.equal(service.calls.length, 2);
    assert.equal(errors.length, 1);
    assert.equal((errors[0] as TokenSourceError).reason, "problem");
    assert.deepEqual(clock.pendingDelays, [30_000], "60 s were left: the next try is in 30 s");
    await clock.advance(30_000);
    assert.equal(service.calls.length, 3);
    assert.notEqual((await source.getToken()).token, first.token);
    assert.equal(service.calls.length, 3);
  });

  test("a renewal that joins a caller's call keeps it going when that caller gives up", async () => {
    const renewed: string[] = [];
    const { clock, service, source } = setUp({ renewAhead: true, onRenewed: (issued) => renewed.push(issued.token) }, 600);
    const first = await source.getToken();
    clock.skip(541_000); // the renewal timer is late (a background tab), so a caller finds the token stale first
    service.hold();
    const impatient = new AbortController();
    const caller = source.getToken({}, { signal: impatient.signal });
    await settle();
    await clock.advance(0); // the late renewal fires and joins the caller's call
    impatient.abort();
    await assert.rejects(caller, { name: "AbortError" });
    assert.equal(service.calls[1]!.signal!.aborted, false);
    service.release();
    await settle();
    assert.equal(renewed.length, 1);
    assert.notEqual(claimsOf(renewed[0]!).jti, claimsOf(first.token).jti);
    assert.equal((await source.getToken()).token, renewed[0]);
    assert.equal(service.calls.length, 2);
  });

  test("dispose() stops renewal and fails later calls", async () => {
    const { clock, service, source } = setUp({ renewAhead: true }, 600);
    await source.getToken();
    source.dispose();
    assert.deepEqual(clock.pendingDelays, []);
    await clock.advance(3600_000);
    assert.equal(service.calls.length, 1);
    await assert.rejects(source.getToken(), (error: unknown) => error instanceof TokenSourceError && error.reason === "disposed");
  });

  test("dispose() cancels a call in progress; its callers get a disposed error", async () => {
    const { service, source } = setUp();
    service.hold();
    const caller = source.getToken();
    await settle();
    source.dispose();
    await assert.rejects(caller, (error: unknown) => error instanceof TokenSourceError && error.reason === "disposed");
    assert.equal(service.calls[0]!.signal!.aborted, true);
  });

  test("dispose() during the last attempt allowed is reported as disposed, not as a network failure", async () => {
    const { service, source } = setUp({ retry: { maxAttempts: 1 } });
    service.hold();
    const caller = source.getToken();
    await settle();
    source.dispose();
    await assert.rejects(caller, (error: unknown) => error instanceof TokenSourceError && error.reason === "disposed");
  });
});

describe("options are checked when the source is made", () => {
  const cases: Array<[string, Partial<TokenSourceOptions>, RegExp]> = [
    ["a relative base URL", { baseUrl: "/api" }, /baseUrl must be an absolute http\(s\) URL/],
    ["a base URL of another scheme", { baseUrl: "ftp://tokens.example.test/api" }, /baseUrl/],
    ["plain http to another machine", { baseUrl: "http://tokens.example.test/api" }, /baseUrl must use https unless it is this machine/],
    ["a lifetime under 60 s", { ttlSeconds: 30 }, /ttlSeconds must be a whole number of seconds, 60 or more/],
    ["a fractional lifetime", { ttlSeconds: 90.5 }, /ttlSeconds/],
    ["a negative minimum validity", { minValiditySeconds: -1 }, /minValiditySeconds/],
    ["a fraction over one half", { minValidityFraction: 0.6 }, /minValidityFraction must be between 0 and 0.5/],
    ["no attempt at all", { retry: { maxAttempts: 0 } }, /retry.maxAttempts/],
    ["a negative longest wait", { retry: { maxDelaySeconds: -1 } }, /retry.maxDelaySeconds/],
    ["a getAccessToken that is not a function", { getAccessToken: "token" as never }, /getAccessToken must be a function/],
  ];
  for (const [name, options, message] of cases) {
    test(name, () => {
      assert.throws(() => new TokenSource({ baseUrl, ...options }), message);
    });
  }
  for (const local of ["http://localhost:7071/api", "http://127.0.0.1:7071/api", "http://[::1]:7071/api"]) {
    test(`plain http to this machine (${local}) is allowed, for a local run`, () => {
      new TokenSource({ baseUrl: local }).dispose();
    });
  }
});
