// Validates requests (a JSON array of {operationId, parameters, body} as typed values, body absent when none is sent)
// against the contract's request schemas. Prints a JSON array with one list of errors per request (empty: valid).
import { readFileSync } from "node:fs";
import { createValidator } from "./contract.mjs";

const requests = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { validateRequest } = createValidator();
console.log(JSON.stringify(requests.map((request) => validateRequest(request))));
