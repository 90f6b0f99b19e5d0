// Compiles every schema of the contract (or of the document named as the argument) with ajv (JSON Schema 2020-12, strict mode): unknown keywords,
// bad patterns or refs that do not resolve fail. Prints one line per schema; exit code 1 on the first failure.
import { createValidator, loadContract } from "./contract.mjs";

try {
  const { compiled } = createValidator(loadContract(process.argv[2]));
  for (const [where] of compiled) console.log(`compiled ${where}`);
  console.log(`${compiled.length} schemas compiled`);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
