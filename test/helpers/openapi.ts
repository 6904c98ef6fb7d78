import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * Checks a request against GitHub's own OpenAPI description (@octokit/openapi), so a nock mock cannot
 * agree with a call GitHub would reject: the route and method must exist, query parameters must be
 * known, and the JSON body must fit the request schema (types, enums, required and unknown keys,
 * limits such as 50 annotations per request). Also serves the description's example responses, so
 * mocks answer with GitHub's real shapes.
 */

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  maxLength?: number;
  maxItems?: number;
  minItems?: number;
};

interface Operation {
  operationId: string;
  parameters?: Schema[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses: Record<string, Schema>;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, Schema>>;
}

const require = createRequire(import.meta.url);
let spec: Spec | undefined;
let routes: { template: string; regex: RegExp; literalLength: number }[] | undefined;

function load(): Spec {
  if (!spec) {
    const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
    spec = JSON.parse(readFileSync(file, "utf8")) as Spec;
    routes = Object.keys(spec.paths).map((template) => ({
      template,
      regex: new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "([^/]+)")}$`,
      ),
      literalLength: template.replace(/\{[^}]+\}/g, "").length,
    }));
  }
  return spec;
}

function resolve(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  while (s?.$ref) {
    const [, , section, name] = s.$ref.split("/") as [string, string, string, string];
    s = load().components[section]?.[name];
  }
  return s;
}

/** The route template GitHub documents for a concrete path, preferring the most literal match. */
export function matchRoute(
  method: string,
  path: string,
): { template: string; operation: Operation } | undefined {
  const s = load();
  const candidates = (routes ?? [])
    .filter((r) => r.regex.test(path) && s.paths[r.template]?.[method.toLowerCase()])
    .sort((a, b) => b.literalLength - a.literalLength);
  const best = candidates[0];
  if (!best) return undefined;
  return { template: best.template, operation: s.paths[best.template]?.[method.toLowerCase()] as Operation };
}

/**
 * Routes GitHub serves in public preview that @octokit/openapi does not describe yet: the repository
 * advisory comments API (2026-10-02: list, get, add, edit). Only src/core/advisory-comments.ts
 * calls them. Writes must send a string `body` and nothing else. Remove an entry once the
 * description has the route (the guard then checks it properly).
 */
const PREVIEW_ROUTES: { method: string; regex: RegExp; takesBody: boolean }[] = [
  { method: "GET", regex: /^\/repos\/[^/]+\/[^/]+\/security-advisories\/[^/]+\/comments$/, takesBody: false },
  {
    method: "GET",
    regex: /^\/repos\/[^/]+\/[^/]+\/security-advisories\/[^/]+\/comments\/\d+$/,
    takesBody: false,
  },
  { method: "POST", regex: /^\/repos\/[^/]+\/[^/]+\/security-advisories\/[^/]+\/comments$/, takesBody: true },
  {
    method: "PATCH",
    regex: /^\/repos\/[^/]+\/[^/]+\/security-advisories\/[^/]+\/comments\/\d+$/,
    takesBody: true,
  },
];

const PREVIEW_QUERY = new Set(["since", "per_page", "page"]);

function validatePreview(method: string, url: URL, body: unknown): string[] | undefined {
  const path = url.pathname;
  const route = PREVIEW_ROUTES.find((r) => r.method === method.toUpperCase() && r.regex.test(path));
  if (!route) return undefined;
  const where = `${method} ${path} (preview)`;
  if (!route.takesBody) {
    const unknown = [...url.searchParams.keys()].filter((k) => !PREVIEW_QUERY.has(k));
    if (body !== undefined && body !== "") unknown.push("a body");
    return unknown.map((k) => `${where}: unexpected ${k}`);
  }
  const fields = body && typeof body === "object" ? Object.keys(body) : [];
  if (typeof (body as { body?: unknown })?.body !== "string") return [`${where}: body needs a string "body"`];
  return fields.filter((k) => k !== "body").map((k) => `${where}: unknown property "${k}"`);
}

export function validateRequest(method: string, url: string, body: unknown): string[] {
  const parsed = new URL(url, "https://api.github.com");
  const path = parsed.pathname.replace(/^\/api\/v3/, "");
  if (path === "/graphql") return [];
  const preview = validatePreview(method, parsed, body);
  if (preview) return preview;
  const route = matchRoute(method, path);
  if (!route) return [`${method} ${path}: no such route in GitHub's REST API`];
  const where = `${method} ${route.template}`;
  const errors: string[] = [];
  const queryNames = new Set(
    (route.operation.parameters ?? [])
      .map((p) => resolve(p))
      .filter((p) => p?.in === "query")
      .map((p) => p?.name),
  );
  for (const name of parsed.searchParams.keys()) {
    if (!queryNames.has(name)) errors.push(`${where}: unknown query parameter "${name}"`);
  }
  const bodySchema = resolve(route.operation.requestBody?.content?.["application/json"]?.schema);
  if (bodySchema && body !== undefined && body !== "") {
    errors.push(...validate(bodySchema, body, `${where} body`));
  } else if (!bodySchema && body && typeof body === "object" && Object.keys(body).length > 0) {
    errors.push(`${where}: takes no body`);
  }
  return errors;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (Number.isInteger(value)) return "integer";
  return typeof value;
}

function validate(raw: Schema, value: unknown, at: string): string[] {
  const schema = resolve(raw);
  if (!schema) return [];
  if (schema.allOf) return schema.allOf.flatMap((s) => validate(s, value, at));
  if (value === null && schema.nullable) return [];
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const results = alternatives.map((s) => validate(s, value, at));
    return results.some((r) => r.length === 0)
      ? []
      : [`${at}: matches none of the allowed shapes (${results[0]?.[0]})`];
  }
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  const actual = typeOf(value);
  if (types.length > 0 && !types.includes(actual) && !(actual === "integer" && types.includes("number"))) {
    return [`${at}: expected ${types.join("|")}, got ${actual}`];
  }
  if (schema.enum && !schema.enum.includes(value)) {
    return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  }
  const errors: string[] = [];
  if (typeof value === "string" && schema.maxLength !== undefined && value.length > schema.maxLength) {
    errors.push(`${at}: longer than ${schema.maxLength}`);
  }
  if (Array.isArray(value)) {
    if (schema.maxItems !== undefined && value.length > schema.maxItems)
      errors.push(`${at}: more than ${schema.maxItems} items`);
    const items = schema.items;
    if (items) errors.push(...value.flatMap((v, i) => validate(items, v, `${at}[${i}]`)));
  }
  if (actual === "object" && schema.properties) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? [])
      if (!(key in obj)) errors.push(`${at}: missing required "${key}"`);
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties[key];
      if (prop) errors.push(...validate(prop, v, `${at}.${key}`));
      else if (schema.additionalProperties === undefined || schema.additionalProperties === false)
        errors.push(`${at}: unknown property "${key}"`);
    }
  }
  return errors;
}

/** GitHub's documented example response for an operation (by operationId, e.g. "issues/create"). */
export function exampleResponse(operationId: string, status = "200"): unknown {
  const key = `${operationId} ${status}`;
  let value = examples.get(key);
  if (value === undefined) {
    value = findExample(operationId, status);
    examples.set(key, value);
  }
  return structuredClone(value);
}

/** The fake GitHub answers most requests with an example: looked up once, copied each time. */
const examples = new Map<string, unknown>();

function findExample(operationId: string, status: string): unknown {
  const s = load();
  for (const methods of Object.values(s.paths)) {
    for (const op of Object.values(methods)) {
      if (op.operationId !== operationId) continue;
      const response = resolve(op.responses[status]);
      const content = (
        response?.content as Record<string, { examples?: Record<string, Schema> }> | undefined
      )?.["application/json"];
      const example = Object.values(content?.examples ?? {})[0];
      let value = resolve(example)?.value as Schema | undefined;
      // Some examples point at a shared example object: `value: { $ref }` → that object's `value`.
      while (value?.$ref) value = resolve(value)?.value as Schema | undefined;
      if (value === undefined) throw new Error(`no example for ${operationId} ${status}`);
      return value;
    }
  }
  throw new Error(`unknown operationId ${operationId}`);
}
