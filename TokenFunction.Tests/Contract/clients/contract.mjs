// openapi/openapi.yaml as JSON Schema 2020-12 (ajv, strict): every schema compiled, and a validator for the
// body of any documented answer.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { parse } from "yaml";

export const contractPath = fileURLToPath(new URL("../../../openapi/openapi.yaml", import.meta.url));
const schemasId = "https://contract.invalid/components/schemas";

export function loadContract(path = contractPath) {
  return parse(readFileSync(path, "utf8"));
}

// OpenAPI refers to '#/components/schemas/X'; ajv resolves refs inside a registered schema, so the
// components are registered under one id and every ref is pointed there.
function retarget(node) {
  if (Array.isArray(node)) return node.map(retarget);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(Object.entries(node).map(([key, value]) =>
    key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")
      ? [key, `${schemasId}#/$defs/${value.slice("#/components/schemas/".length)}`]
      : [key, retarget(value)]));
}

export function createValidator(document = loadContract()) {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: schemasId, $defs: retarget(document.components.schemas) });

  const compile = (schema, where) => {
    try {
      return ajv.compile(retarget(schema));
    } catch (error) {
      throw new Error(`${where}: ${error.message}`);
    }
  };

  // Every schema the document holds: the components, and those inline in parameters and media types.
  const compiled = [];
  for (const name of Object.keys(document.components.schemas)) {
    compiled.push([`#/components/schemas/${name}`, compile({ $ref: `#/components/schemas/${name}` }, name)]);
  }
  const responseValidators = new Map();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const parameter of operation.parameters ?? []) {
        compiled.push([`${method} ${path} parameter ${parameter.name}`, compile(parameter.schema, `${method} ${path} ${parameter.name}`)]);
      }
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        compiled.push([`${method} ${path} request ${type}`, compile(media.schema, `${method} ${path} request`)]);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const resolved = response.$ref ? resolve(document, response.$ref) : response;
        for (const [type, media] of Object.entries(resolved.content ?? {})) {
          const validate = compile(media.schema, `${method} ${path} ${status} ${type}`);
          compiled.push([`${method} ${path} ${status} ${type}`, validate]);
          responseValidators.set(`${method.toUpperCase()} ${path} ${status}`, { type, validate });
        }
      }
    }
  }

  return {
    compiled,
    // The body of an answer against the schema its status documents; errors as strings, none when valid.
    validateAnswer({ method, path, status, contentType, body }) {
      const documented = responseValidators.get(`${method} ${path} ${status}`);
      if (!documented) return [`${method} ${path} ${status} is not documented`];
      if (!contentType?.startsWith(documented.type)) return [`content type ${contentType}, documented ${documented.type}`];
      let value;
      try {
        value = JSON.parse(body);
      } catch {
        return ["the body is not JSON"];
      }
      return documented.validate(value) ? [] : documented.validate.errors.map((e) => `${e.instancePath || "/"} ${e.message}`);
    },
  };
}

function resolve(document, ref) {
  return ref.slice(2).split("/").reduce((node, key) => node[key], document);
}
