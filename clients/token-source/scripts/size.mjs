// What the package adds to a web page: dist/ bundled into one ES module by esbuild, minified, then gzipped.
// Run after `npm run build`: `npm run size`.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

const { outputFiles } = await build({
  entryPoints: ["dist/index.js"], bundle: true, minify: true, format: "esm", target: "es2022", write: false, logLevel: "error",
});
const minified = outputFiles[0].contents;
console.log(`minified: ${minified.length} bytes; gzip -9: ${gzipSync(minified, { level: 9 }).length} bytes`);
