import type { FieldError, KubeObject } from "../types.js";
import { applyDefaults } from "./apply-defaults.js";
import { coerceEmbeddedObjectMeta, coerceRootObjectMeta } from "./coerce-object-meta.js";
import { invalid } from "./field-error.js";
import { pruneNonNullableNulls } from "./prune-nulls.js";
import { pruneUnknownFields } from "./prune.js";
import type { SchemaNode } from "./structural-schema.js";
import { validateCel } from "./validate-cel.js";
import { validateEmbeddedResources } from "./validate-embedded-resources.js";
import { validateListTypes } from "./validate-list-types.js";
import { validateValue } from "./validate-value.js";

export interface ProcessOptions {
  /** The stored object, on update: transition rules compare with it, and unchanged parts are not reported. */
  oldObject?: KubeObject | undefined;
  /** `Ignore` skips collecting unknown field paths; `Strict` and `Warn` collect them for the server. */
  fieldValidation?: "Strict" | "Warn" | "Ignore" | undefined;
  /** `status` for the status subresource: only `status` is validated against the schema, as kube does. */
  subresource?: string | undefined;
  /**
   * Errors the server found before (ObjectMeta validation). In kube they sit in the same list, so a
   * blocking one among them also keeps CEL rules from running.
   */
  precedingErrors?: readonly FieldError[] | undefined;
}

export interface ProcessedCustomResource {
  /** The object, pruned and defaulted in place. */
  object: KubeObject;
  /** Paths of the fields pruned as unknown (`spec.foo`, `metadata.bar`), for `fieldValidation`. */
  unknownFields: string[];
  /** Validation errors: a 422 when not empty. */
  errors: FieldError[];
  /** Rule failures on values unchanged by an update, which kube returns as warnings. */
  warnings: string[];
  /** A malformed `metadata` (root or embedded): kube fails the request with 400 BadRequest and this message. */
  decodeError?: string;
}

const blockingReasons = new Set([
  "FieldValueNotSupported",
  "FieldValueRequired",
  "FieldValueTooLong",
  "FieldValueTooMany",
  "FieldValueTypeInvalid",
]);

/**
 * What kube-apiserver does to a custom resource on write, in its order. Decoding: prune unknown fields,
 * drop non-nullable nulls, coerce ObjectMeta (root and embedded), apply defaults. Validation (the CR
 * strategy): OpenAPI schema (ratcheted on update), embedded resources, list-type set/map invariants, and
 * CEL rules, which do not run when an earlier error is blocking (wrong type, required, enum, too
 * long/many); then kube adds the note it adds. The object is changed in place.
 */
export function processCustomResource(
  schema: SchemaNode,
  object: KubeObject,
  options: ProcessOptions | KubeObject | undefined = {},
): ProcessedCustomResource {
  const {
    oldObject,
    fieldValidation,
    subresource,
    precedingErrors = [],
  } = isKubeObject(options) ? { oldObject: options } : (options ?? {});
  const track = fieldValidation !== "Ignore";
  const result: ProcessedCustomResource = { object, unknownFields: [], errors: [], warnings: [] };

  result.unknownFields.push(...pruneUnknownFields(schema, object, { returnPruned: track }));
  pruneNonNullableNulls(object, schema);
  for (const coerced of [
    coerceRootObjectMeta(object, track),
    coerceEmbeddedObjectMeta(schema, object, track),
  ]) {
    result.unknownFields.push(...coerced.unknownFields);
    if (coerced.error && result.decodeError === undefined) result.decodeError = coerced.error;
  }
  if (result.decodeError !== undefined) return result;
  applyDefaults(schema, object);

  const old = oldObject ? { value: oldObject } : undefined;
  const errors = result.errors;
  if (subresource === "status") {
    const status = schema.properties?.get("status");
    if (status && Object.hasOwn(object, "status"))
      errors.push(
        ...validateValue(status, object.status, {
          basePath: "status",
          old: oldObject && Object.hasOwn(oldObject, "status") ? { value: oldObject.status } : undefined,
        }),
      );
  } else {
    errors.push(...validateValue(schema, object, { old }));
  }
  errors.push(...validateEmbeddedResources(schema, object));
  if (!oldObject || validateListTypes(schema, oldObject).length === 0)
    errors.push(...validateListTypes(schema, object));
  if (schema.subtree.rules) {
    if ([...precedingErrors, ...errors].some((e) => blockingReasons.has(e.reason))) {
      errors.push(
        invalid(
          "<nil>",
          null,
          "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
        ),
      );
    } else {
      const cel = validateCel(schema, object, old);
      errors.push(...cel.errors);
      result.warnings.push(...cel.warnings);
    }
  }
  return result;
}

function isKubeObject(value: ProcessOptions | KubeObject | undefined): value is KubeObject {
  return value !== undefined && typeof (value as KubeObject).apiVersion === "string" && "metadata" in value;
}
