export { TokenSource, type TokenSourceOptions } from "./token-source.js";
export { TokenSourceError, TokenProblemError, type TokenSourceErrorReason } from "./errors.js";
export { retriedStatuses, type AccessTokenProvider } from "./issue.js";
export type { Clock } from "./clock.js";
export type { IssuedToken, Permission, Problem, FieldError, TokenRequest, TokenRequestBody } from "./contract.js";
