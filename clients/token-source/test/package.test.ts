import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";

const packageRoot = new URL("../../", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("package.json", packageRoot), "utf8")) as Record<string, unknown>;

test("the published entry point (the exports map, resolved by name) gives the API", async () => {
  const published = (await import(manifest.name as string)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(published).sort(), ["TokenProblemError", "TokenSource", "TokenSourceError", "retriedStatuses"]);
});

test("nothing is needed at run time: no dependencies, and the built modules import only each other", () => {
  assert.equal(manifest.dependencies, undefined);
  const dist = new URL("dist/", packageRoot);
  const files = readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"));
  assert.ok(files.includes("index.js"));
  for (const file of files) {
    const source = readFileSync(new URL(file, dist), "utf8");
    for (const match of source.matchAll(/\b(?:import|export)\b[^"']*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']/g)) {
      const specifier = match[1] ?? match[2] ?? "";
      assert.ok(specifier.startsWith("./"), `${file} imports ${specifier}`);
    }
  }
});

test("the types ship beside the code", () => {
  const exports = manifest.exports as { ".": { types: string; import: string } };
  assert.equal(exports["."].types, "./dist/index.d.ts");
  assert.match(readFileSync(new URL(exports["."].types, packageRoot), "utf8"), /TokenSource/);
});
