// Drives the real worker through the TypeScript client generated from openapi/openapi.yaml (openapi-typescript
// types + openapi-fetch), one call per documented answer, and records each answer for the schema check.
// Started by the Kiota-and-TypeScript contract tests with the workers' addresses in the environment.
import { writeFileSync } from "node:fs";
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./generated/openapi.js";

type Problem = components["schemas"]["Problem"];

interface Answer {
  key: string;
  method: string;
  path: string;
  status: number;
  contentType: string | null;
  body: string;
  // What the generated client handed back: the typed success value, or the typed error, as it read them.
  typed: unknown;
}

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

let lastBody = "";
const recordBody: Middleware = {
  async onResponse({ response }) {
    lastBody = await response.clone().text();
  },
};

// `permissions` is one comma-separated parameter (style: form, explode: false); openapi-fetch repeats
// array parameters unless told, and the service refuses a repeated parameter.
const client = (base: string) => {
  const created = createClient<paths>({ baseUrl: new URL("api", base).toString(), querySerializer: { array: { style: "form", explode: false } } });
  created.use(recordBody);
  return created;
};

const anonymous = client(env("ANONYMOUS_URL"));
const emptyVault = client(env("EMPTY_VAULT_URL"));
const bearer = client(env("BEARER_URL"));
const aliceToken = env("ALICE_TOKEN");
const answers: Answer[] = [];
let nextAddress = 1;

// Each scenario calls from its own client address: the anonymous worker's rate limit is per address.
const from = () => ({ "X-Forwarded-For": `198.51.100.${nextAddress++}` });

async function record(key: string, call: () => Promise<{ data?: unknown; error?: unknown; response: Response }>) {
  const [method, path] = key.split(" ") as [string, string];
  const { data, error, response } = await call();
  answers.push({
    key, method, path, status: response.status, contentType: response.headers.get("content-type"), body: lastBody,
    typed: response.ok ? data : error,
  });
}

// A method the contract does not offer on a path cannot be written with the typed client; sent with fetch,
// its problem body is read as the contract's Problem.
async function recordOtherMethod(key: string, base: string, method: string, path: string) {
  const response = await fetch(new URL(`api${path}`, base), { method, headers: from() });
  lastBody = await response.text();
  const problem = JSON.parse(lastBody) as Problem;
  answers.push({ key, method: key.split(" ")[0]!, path: key.split(" ")[1]!, status: response.status, contentType: response.headers.get("content-type"), body: lastBody, typed: problem });
}

const anonymousUrl = env("ANONYMOUS_URL");
const big = "a".repeat(5000);
const withRoom = { roomId: "abcd-efgh-ijkl", participantId: "user-42", ttlSeconds: 3600, permissions: ["allow_join"] } satisfies components["schemas"]["TokenRequest"];

await record("GET /token 200", () => anonymous.GET("/token", { params: { query: { permissions: ["allow_join"], roomId: "abcd-efgh-ijkl", participantId: "user-42", ttlSeconds: 600 } }, headers: from() }));
await record("GET /token 400", () => anonymous.GET("/token", { params: { query: { ttlSeconds: 1 } }, headers: from() }));
await record("GET /token 401", () => bearer.GET("/token"));
await record("GET /token 403", () => anonymous.GET("/token", { params: { query: { permissions: ["allow_mod"] } }, headers: from() }));
await recordOtherMethod("GET /token 405", anonymousUrl, "PUT", "/token");
await record("GET /token 414", () => anonymous.GET("/token", { params: { query: { roomId: big } }, headers: from() }));
{
  const address = from();
  for (let i = 0; i < Number(env("RATE_LIMIT")); i++) await anonymous.GET("/token", { headers: address });
  await record("GET /token 429", () => anonymous.GET("/token", { headers: address }));
}
await record("GET /token 503", () => emptyVault.GET("/token"));

await record("POST /token 200", () => anonymous.POST("/token", { body: withRoom, headers: from() }));
await record("POST /token 400", () => anonymous.POST("/token", { body: { roomId: "a b" }, headers: from() }));
await record("POST /token 401", () => bearer.POST("/token", { body: {}, headers: { Authorization: "Bearer not-a-jwt" } }));
await record("POST /token 403", () => bearer.POST("/token", { body: { participantId: "bob" }, headers: { Authorization: `Bearer ${aliceToken}` } }));
await recordOtherMethod("POST /token 405", anonymousUrl, "DELETE", "/token");
await record("POST /token 413", () => anonymous.POST("/token", { body: { roomId: big }, headers: from() }));
// The POST operation declares no query parameters, so the typed client cannot send the over-long one.
await recordOtherMethod("POST /token 414", anonymousUrl, "POST", `/token?roomId=${big}`);
await record("POST /token 415", () => anonymous.POST("/token", { body: {}, headers: { ...from(), "Content-Type": "text/plain" } }));
{
  const address = from();
  for (let i = 0; i < Number(env("RATE_LIMIT")); i++) await anonymous.POST("/token", { body: {}, headers: address });
  await record("POST /token 429", () => anonymous.POST("/token", { body: {}, headers: address }));
}
await record("POST /token 503", () => emptyVault.POST("/token", { body: {} }));

const room = {
  customRoomId: "ts-team-standup",
  webhook: { endPoint: "https://hooks.contoso.test/videosdk", events: ["session-started", "session-ended"] },
  autoCloseConfig: { type: "session-end-and-deactivate", duration: 60 },
} satisfies components["schemas"]["CreateRoomRequest"];
await record("POST /rooms 201", () => anonymous.POST("/rooms", { body: room, headers: from() }));
await record("POST /rooms 400", () => anonymous.POST("/rooms", { body: { customRoomId: "upstream-400" }, headers: from() }));
await record("POST /rooms 401", () => bearer.POST("/rooms", { body: {} }));
await record("POST /rooms 403", () => bearer.POST("/rooms", { body: {}, headers: { Authorization: `Bearer ${aliceToken}` } }));
await recordOtherMethod("POST /rooms 405", anonymousUrl, "PATCH", "/rooms");
await record("POST /rooms 413", () => anonymous.POST("/rooms", { body: { customRoomId: big }, headers: from() }));
await record("POST /rooms 415", () => anonymous.POST("/rooms", { body: {}, headers: { ...from(), "Content-Type": "text/plain" } }));
await record("POST /rooms 429", () => anonymous.POST("/rooms", { body: { customRoomId: "upstream-429" }, headers: from() }));
await record("POST /rooms 502", () => anonymous.POST("/rooms", { body: { customRoomId: "upstream-401" }, headers: from() }));
await record("POST /rooms 503", () => emptyVault.POST("/rooms", { body: {} }));
await record("POST /rooms 504", () => anonymous.POST("/rooms", { body: { customRoomId: "upstream-timeout" }, headers: from() }));

const created = answers.find((a) => a.key === "POST /rooms 201")?.typed as components["schemas"]["Room"] | undefined;
const validate = (base: typeof anonymous, roomId: string, headers: Record<string, string> = from()) =>
  base.GET("/rooms/{roomId}", { params: { path: { roomId } }, headers });
await record("GET /rooms/{roomId} 200", () => validate(anonymous, created?.roomId ?? "ts-team-standup"));
await record("GET /rooms/{roomId} 400", () => validate(anonymous, "a b"));
await record("GET /rooms/{roomId} 401", () => validate(bearer, "abcd-efgh-ijkl", { Authorization: "Bearer not-a-jwt" }));
await record("GET /rooms/{roomId} 404", () => validate(anonymous, "ts-no-such-room"));
await recordOtherMethod("GET /rooms/{roomId} 405", anonymousUrl, "PUT", "/rooms/abcd-efgh-ijkl");
await record("GET /rooms/{roomId} 429", () => validate(anonymous, "upstream-429"));
await record("GET /rooms/{roomId} 502", () => validate(anonymous, "upstream-401"));
await record("GET /rooms/{roomId} 503", () => validate(emptyVault, "abcd-efgh-ijkl", {}));
await record("GET /rooms/{roomId} 504", () => validate(anonymous, "upstream-timeout"));

await record("GET /health 200", () => anonymous.GET("/health"));
await recordOtherMethod("GET /health 405", anonymousUrl, "POST", "/health");
await record("GET /health 503", () => emptyVault.GET("/health"));

writeFileSync(env("ANSWERS_FILE"), JSON.stringify(answers, null, 1));
console.log(`${answers.length} answers recorded`);
