import type { ErrorObject, ValidateFunction } from "ajv";
import { kindSchema } from "./custom-resource-definitions.js";
import { apiVersion, group, kinds } from "./group.js";
import { createManifestAjv } from "./manifest-ajv.js";
import { toJsonSchema } from "./openapi-to-json-schema.js";
import { validationRuleViolations } from "./evaluate-validation-rules.js";
import type { Schema } from "./schema/schema-builders.js";

export interface ManifestError {
  /** The field path, `spec.flows[0].target.action`, or empty for the object itself. */
  path: string;
  message: string;
}

export type ManifestValidation = { ok: true } | { ok: false; errors: ManifestError[] };

/**
 * Validates a Switchboard manifest in process, offline, against the schema its CRD carries, with
 * errors that name the field. Unknown fields are errors, as with `kubectl --validate=strict`.
 *
 * The CEL rules (`x-kubernetes-validations`) are evaluated too, once the schema passes, as
 * kube-apiserver does; transition rules need the stored object and are left to the API server.
 */
export function validateManifest(manifest: unknown): ManifestValidation {
  if (!manifest || typeof manifest !== "object" || Array.isArray(manifest)) {
    return failed("", "a manifest must be an object with apiVersion, kind and metadata");
  }
  const { apiVersion: given, kind, metadata } = manifest as Record<string, unknown>;
  const which = `${String(given)}/${String(kind)}`;
  if (typeof given !== "string") return failed("apiVersion", "required field is missing");
  if (typeof kind !== "string") return failed("kind", "required field is missing");
  if (given !== apiVersion) {
    return given.startsWith(`${group}/`)
      ? failed("apiVersion", `${which}: ${given} is not served; Switchboard kinds are in ${apiVersion}`)
      : failed(
          "apiVersion",
          `${which} is not a Switchboard kind; these are ${apiVersion}: ${kinds.join(", ")}`,
        );
  }
  const validator = validatorFor(kind);
  if (!validator) {
    return failed("kind", `${which} is not a Switchboard kind; ${apiVersion} has ${kinds.join(", ")}`);
  }
  const errors: ManifestError[] = [];
  const meta = metadata as Record<string, unknown> | undefined;
  if (!meta || (typeof meta.name !== "string" && typeof meta.generateName !== "string"))
    errors.push({ path: "metadata.name", message: "required field is missing" });
  if (!validator.validate(manifest)) errors.push(...describeAll(validator.validate.errors ?? []));
  else errors.push(...validationRuleViolations(validator.schema, manifest));
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

function failed(path: string, message: string): ManifestValidation {
  return { ok: false, errors: [{ path, message }] };
}

const ajv = createManifestAjv();

interface KindValidator {
  schema: Schema;
  validate: ValidateFunction;
}

const validators = new Map<string, KindValidator | undefined>();

/** The kind's schema and its compiled validator, built once per kind. */
function validatorFor(kind: string): KindValidator | undefined {
  if (!validators.has(kind)) {
    const schema = kindSchema(kind);
    validators.set(kind, schema ? { schema, validate: ajv.compile(toJsonSchema(schema)) } : undefined);
  }
  return validators.get(kind);
}

function describeAll(errors: ErrorObject[]): ManifestError[] {
  const described = new Map<string, ManifestError>();
  for (const error of errors) {
    // An int-or-string value fails both branches of its anyOf; the anyOf error says it once.
    if (error.schemaPath.includes("/anyOf/")) continue;
    const one = describe(error);
    described.set(`${one.path}\n${one.message}`, one);
  }
  return [...described.values()];
}

/** `/spec/flows/0/target` as `spec.flows[0].target`. */
export function fieldPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce(
      (path, segment) =>
        /^\d+$/.test(segment) ? `${path}[${segment}]` : path ? `${path}.${segment}` : segment,
      "",
    );
}

function describe(error: ErrorObject): ManifestError {
  const base = fieldPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const join = (field: string): string => (base ? `${base}.${field}` : field);
  const parent = error.parentSchema;
  switch (error.keyword) {
    case "required":
      return { path: join(String(params.missingProperty)), message: "required field is missing" };
    case "additionalProperties":
      return { path: join(String(params.additionalProperty)), message: "unknown field" };
    case "enum":
      return {
        path: base,
        message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
      };
    case "type":
      return { path: base, message: `must be of type ${[params.type].flat().join(" or ")}` };
    case "pattern":
      return { path: base, message: `must match the pattern ${String(params.pattern)}` };
    case "format":
      return { path: base, message: `must be a valid ${String(params.format)}` };
    case "anyOf":
      return {
        path: base,
        message: parent?.["x-kubernetes-int-or-string"]
          ? "must be an integer or a string"
          : "must match one of its schemas",
      };
    case "uniqueItems":
      return {
        path: base,
        message: `must not repeat a value ([${String(params.j)}] and [${String(params.i)}])`,
      };
    case "minItems":
      return { path: base, message: `must have at least ${String(params.limit)} item(s)` };
    case "maxItems":
      return { path: base, message: `must have at most ${String(params.limit)} item(s)` };
    case "minLength":
      return { path: base, message: `must be at least ${String(params.limit)} character(s) long` };
    case "maxLength":
      return { path: base, message: `must be at most ${String(params.limit)} character(s) long` };
    default:
      return { path: base, message: error.message ?? error.keyword };
  }
}
