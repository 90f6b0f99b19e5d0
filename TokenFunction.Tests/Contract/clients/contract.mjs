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
  const requestValidators = new Map();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const request = { parameters: new Map(), body: null, bodyRequired: operation.requestBody?.required === true };
      requestValidators.set(operation.operationId, request);
      for (const parameter of operation.parameters ?? []) {
        const validate = compile(parameter.schema, `${method} ${path} ${parameter.name}`);
        compiled.push([`${method} ${path} parameter ${parameter.name}`, validate]);
        request.parameters.set(parameter.name, { required: parameter.required === true, validate });
      }
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        const validate = compile(media.schema, `${method} ${path} request`);
        compiled.push([`${method} ${path} request ${type}`, validate]);
        request.body = validate;
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
    // A request as typed values ({operationId, parameters: {name: value}, body}, body absent when none is sent)
    // against the operation's parameter and body schemas; errors as strings, none when valid.
    validateRequest({ operationId, parameters = {}, body }) {
      const request = requestValidators.get(operationId);
      if (!request) return [`${operationId} is not documented`];
      const errors = [];
      for (const [name, value] of Object.entries(parameters)) {
        const parameter = request.parameters.get(name);
        if (!parameter) errors.push(`parameter ${name} is not documented`);
        else if (!parameter.validate(value)) errors.push(...parameter.validate.errors.map((e) => `${name}${e.instancePath} ${e.message}`));
      }
      for (const [name, parameter] of request.parameters) {
        if (parameter.required && !(name in parameters)) errors.push(`parameter ${name} is required`);
      }
      if (body === undefined) {
        if (request.bodyRequired) errors.push("a body is required");
      } else if (!request.body) {
        errors.push("no body is documented");
      } else if (!request.body(body)) {
        errors.push(...request.body.errors.map((e) => `body${e.instancePath} ${e.message}`));
      }
      return errors;
    },
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
