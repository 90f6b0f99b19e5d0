// The package against the real worker over the host stand-in's HTTP front (run by dotnet test through
// EndToEnd/TokenSourceNodeTests). Calls are counted at a proxy in front of the worker, renewals shown by a new jti.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { TokenProblemError, TokenSource } from "../src/index.js";
import { ManualClock } from "../test/support/manual-clock.js";
import { accessToken, countingProxy, env, providerClient, verifiedClaims, type SeenCall } from "./worker.js";

const proxies: Array<{ close: () => Promise<void> }> = [];
after(() => Promise.all(proxies.map((proxy) => proxy.close())));

async function proxyTo(service: string) {
  const proxy = await countingProxy(service);
  proxies.push(proxy);
  return proxy;
}

describe("bearer mode, against the real worker and the real OpenID provider", () => {
  test("concurrent callers share one call; the token verifies and names the signed-in user; another room is another call", async () => {
    const worker = await proxyTo(env.bearerService());
    const client = providerClient("happy");
    const bearer = await accessToken(client);
    const source = new TokenSource({ baseUrl: worker.baseUrl, getAccessToken: async () => bearer });

    const answers = await Promise.all(Array.from({ length: 5 }, () => source.getToken({ roomId: "room-a" })));
    const again = await source.getToken({ roomId: "room-a" });
    const other = await source.getToken({ roomId: "room-b" });

    assert.equal(worker.tokenCalls().length, 2, "one call for five concurrent callers and the cached answer, one for the other room");
    assert.ok(answers.every((answer) => answer.token === answers[0]!.token) && again.token === answers[0]!.token);
    const claims = verifiedClaims(answers[0]!.token);
    assert.equal(claims.apikey, env.apiKey());
    assert.equal(claims.roomId, "room-a");
    assert.equal(claims.participantId, client.id);
    assert.equal(answers[0]!.participantId, client.id, "the answer's participantId is what initMeeting must be given");
    assert.notEqual(verifiedClaims(other.token).jti, claims.jti);
    source.dispose();
  });

  test("a 401 asks the app for a new access token once (forceRefresh), and the call with it succeeds", async () => {
    const worker = await proxyTo(env.bearerService());
    const expired = await accessToken(providerClient("expired"));
    const fresh = await accessToken(providerClient("refresh"));
    const asked: boolean[] = [];
    const source = new TokenSource({
      baseUrl: worker.baseUrl,
      getAccessToken: async ({ forceRefresh }) => {
        asked.push(forceRefresh);
        return forceRefresh ? fresh : expired;
      },
    });

    const issued = await source.getToken({ roomId: "room-a" });

    assert.deepEqual(asked, [false, true]);
    assert.deepEqual(worker.tokenCalls().map((call) => [call.status, call.authorization]), [[401, `Bearer ${expired}`], [200, `Bearer ${fresh}`]]);
    assert.equal(verifiedClaims(issued.token).participantId, providerClient("refresh").id);
    source.dispose();
  });

  test("a second 401 fails with the problem, the app asked to refresh once only", async () => {
    const worker = await proxyTo(env.bearerService());
    const expired = await accessToken(providerClient("expired"));
    const asked: boolean[] = [];
    const source = new TokenSource({ baseUrl: worker.baseUrl, getAccessToken: async ({ forceRefresh }) => (asked.push(forceRefresh), expired) });

    const error = await source.getToken().catch((failure: unknown) => failure);

    assert.ok(error instanceof TokenProblemError && error.status === 401, String(error));
    assert.equal(typeof error.code, "string");
    assert.doesNotMatch(error.message, /eyJ/, "no token in the message");
    assert.deepEqual(asked, [false, true]);
    assert.equal(worker.tokenCalls().length, 2);
    source.dispose();
  });

  test("expiry: with a fake clock, the token is renewed ahead of expiry without a caller, with a new jti, and callers get it from cache", async () => {
    const worker = await proxyTo(env.bearerService());
    const bearer = await accessToken(providerClient("expiry"));
    const clock = new ManualClock(Date.now());
    const renewed: string[] = [];
    const source = new TokenSource({
      baseUrl: worker.baseUrl, clock, ttlSeconds: 120, renewAhead: true,
      getAccessToken: async () => bearer,
      onRenewed: (token) => renewed.push(token.token),
    });

    const first = await source.getToken({ roomId: "room-a" });
    const renewalDelay = await clock.nextTimer();
    // 120 s lifetime, 60 s minimum validity (the larger of 60 s and 10%): renewed when 60 s are left.
    assert.equal(renewalDelay, 60_000);
    await clock.advance(renewalDelay);
    const later = await source.getToken({ roomId: "room-a" });

    assert.equal(worker.tokenCalls().length, 2, "the first call and the renewal; the caller after it is served from cache");
    assert.equal(renewed.length, 1);
    assert.equal(later.token, renewed[0]);
    assert.notEqual(verifiedClaims(later.token).jti, verifiedClaims(first.token).jti);
    source.dispose();
  });

  test("429: waits the worker's Retry-After (plus at most 20%), asks again, and fails with rate_limited when still refused", async () => {
    const worker = await proxyTo(env.bearerService());
    const bearer = await accessToken(providerClient("throttled"));
    const clock = new ManualClock(Date.now());
    const source = new TokenSource({ baseUrl: worker.baseUrl, clock, getAccessToken: async () => bearer, retry: { maxAttempts: 2, maxDelaySeconds: 7200 } });
    // The worker lets a caller make 4 requests, then one an hour (the fixture's RateLimit settings).
    for (const room of ["r-1", "r-2", "r-3", "r-4"]) await source.getToken({ roomId: room });

    const error = await refusedAfterWaitingRetryAfter(source.getToken({ roomId: "r-5" }), clock, () => worker.tokenCalls()[4], 429);

    assert.ok(error instanceof TokenProblemError && error.status === 429 && error.code === "rate_limited", String(error));
    assert.ok(error.retryAfterSeconds! > 0);
    assert.deepEqual(worker.tokenCalls().map((call) => call.status), [200, 200, 200, 200, 429, 429]);
    source.dispose();
  });
});

describe("vault mode, the vault down since the worker started", () => {
  test("503: waits the worker's Retry-After, asks again, and fails with signing_credentials_unavailable and a trace id", async () => {
    const worker = await proxyTo(env.vaultDownService());
    const clock = new ManualClock(Date.now());
    const source = new TokenSource({ baseUrl: worker.baseUrl, clock, retry: { maxAttempts: 2, maxDelaySeconds: 7200 } });

    const error = await refusedAfterWaitingRetryAfter(source.getToken({ roomId: "room-a" }), clock, () => worker.tokenCalls()[0], 503);

    assert.ok(error instanceof TokenProblemError && error.status === 503 && error.code === "signing_credentials_unavailable", String(error));
    assert.match(error.traceId ?? "", /\S/);
    assert.deepEqual(worker.tokenCalls().map((call) => call.status), [503, 503]);
    source.dispose();
  });
});

// The call refused with `status`: the package's wait before its second attempt is the first refusal's
// Retry-After plus at most 20% jitter; the clock is then moved by that wait, and the call's failure returned.
async function refusedAfterWaitingRetryAfter(call: Promise<unknown>, clock: ManualClock, firstRefusal: () => SeenCall | undefined, status: number) {
  const failed = call.then(() => assert.fail("the call succeeded"), (failure: unknown) => failure);
  const wait = await waitForTimer(clock);
  const refusal = firstRefusal();
  assert.equal(refusal?.status, status);
  const retryAfterMs = Number(refusal!.retryAfter) * 1000;
  assert.ok(retryAfterMs > 0 && wait >= retryAfterMs && wait <= retryAfterMs * 1.2, `waited ${wait} ms for Retry-After ${refusal!.retryAfter}`);
  await clock.advance(wait);
  return failed;
}

// A retry's timer is set once the worker's answer has arrived over the network, in real time (in vault mode the
// first answer can take the worker's fetch timeout, the fixture's 2 s).
async function waitForTimer(clock: ManualClock): Promise<number> {
  for (let tries = 0; ; tries++) {
    try {
      return await clock.nextTimer();
    } catch (error) {
      if (tries > 300) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
