// Validates recorded answers (a JSON array of {method, path, status, contentType, body}, path as documented,
// e.g. /rooms/{roomId}) against the contract's schema for each status. Prints the invalid ones; exit code 1 if any.
import { readFileSync } from "node:fs";
import { createValidator } from "./contract.mjs";

const answers = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { validateAnswer } = createValidator();
let invalid = 0;
for (const answer of answers) {
  const errors = validateAnswer(answer);
  if (errors.length > 0) {
    invalid++;
    console.log(`${answer.method} ${answer.path} ${answer.status}: ${errors.join("; ")}`);
  }
}
console.log(`${answers.length - invalid} answers valid, ${invalid} invalid`);
process.exit(invalid === 0 ? 0 : 1);
