// The request and answer types of POST /api/token, taken from openapi/openapi.yaml through openapi-typescript
// at build time: a contract change that breaks this package breaks its build, not its users.
import type { components, operations } from "./generated/openapi.js";

type IssueToken = operations["issueToken"];

/** A VideoSDK permission the service can put in a token. */
export type Permission = components["schemas"]["Permission"];

/** The JSON body of `POST /api/token`. */
export type TokenRequestBody = NonNullable<IssueToken["requestBody"]>["content"]["application/json"];

/** What the service answers: the token and the facts about it (`expiresAt`, `permissions`, `roomId`, `participantId`). */
export type IssuedToken = IssueToken["responses"][200]["content"]["application/json"];

/** An RFC 9457 problem as the service writes it. */
export type Problem = components["schemas"]["Problem"];

/** A field error inside a problem. */
export type FieldError = components["schemas"]["FieldError"];

/** What `getToken` asks for; every field is optional, as in the contract (undefined means absent). */
export type TokenRequest = {
  [K in "roomId" | "permissions" | "participantId"]?: NonNullable<TokenRequestBody[K]> | undefined;
};
