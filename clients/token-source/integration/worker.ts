// What the integration tests reach, from the environment the xunit fixture sets (TokenSourceNodeTests): the real
// worker behind the host stand-in's HTTP front, the real OpenID provider, and a counting proxy in front of the
// worker, so that calls are counted where they arrive, not by the package under test.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, request as forward, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: these tests run from dotnet test (EndToEnd/TokenSourceNodeTests), which starts the worker.`);
  return value;
}

export const env = {
  /** Bearer mode (CallerAuth at the real provider), 4 requests per caller, then one an hour. */
  bearerService: () => required("TOKEN_SERVICE_URL"),
  /** Vault mode with the vault answering 503 since start. */
  vaultDownService: () => required("VAULT_DOWN_SERVICE_URL"),
  apiKey: () => required("VIDEOSDK_API_KEY"),
  apiSecret: () => required("VIDEOSDK_API_SECRET"),
};

interface ProviderClient { id: string; secret: string }

/** The provider's clients by the role they play here ("happy", "expiry", "refresh", "throttled", "expired"). */
export function providerClient(role: string): ProviderClient {
  const clients = JSON.parse(required("OIDC_CLIENTS")) as Record<string, ProviderClient>;
  const client = clients[role];
  if (!client) throw new Error(`OIDC_CLIENTS has no client for ${role}`);
  return client;
}

/** A real client-credentials access token for the service's audience (RFC 8707 resource indicator). */
export async function accessToken(client: ProviderClient): Promise<string> {
  const answer = await fetch(required("OIDC_TOKEN_URL"), {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.id, client_secret: client.secret, resource: required("OIDC_RESOURCE") }),
  });
  if (!answer.ok) throw new Error(`the provider refused ${client.id}: ${answer.status} ${await answer.text()}`);
  return ((await answer.json()) as { access_token: string }).access_token;
}

export interface SeenCall {
  method: string;
  path: string;
  authorization: string | undefined;
  status: number;
  retryAfter: string | undefined;
}

/** A loopback proxy to `target` that records every call reaching the worker. Close it when done. */
export async function countingProxy(target: string) {
  const upstream = new URL(target);
  const calls: SeenCall[] = [];
  const server = createServer((incoming, outgoing) => {
    const headers: IncomingHttpHeaders = { ...incoming.headers, host: upstream.host };
    const relay = forward({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers }, (answer) => {
      calls.push({
        method: incoming.method ?? "",
        path: incoming.url ?? "",
        authorization: incoming.headers.authorization,
        status: answer.statusCode ?? 0,
        retryAfter: answer.headers["retry-after"],
      });
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(relay);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** The service's /api base through the proxy. */
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname}`,
    calls,
    tokenCalls: () => calls.filter((call) => call.method === "POST" && call.path.endsWith("/token")),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The claims of a VideoSDK token, after checking its HS256 signature with the worker's secret as VideoSDK would. */
export function verifiedClaims(token: string): Record<string, unknown> {
  const [header, payload, signature] = token.split(".");
  if (!header || !payload || !signature) throw new Error("not a JWS");
  const expected = createHmac("sha256", env.apiSecret()).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("the signature does not verify");
  if (JSON.parse(Buffer.from(header, "base64url").toString()).alg !== "HS256") throw new Error("not HS256");
  return JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
}
