import type { FieldError, ObjectMeta } from "../types.js";
import { childPath, indexPath, invalid, keyPath, required } from "./field-error.js";
import { isDNS1035Label } from "./name-validation.js";
import type { SchemaNode } from "./structural-schema.js";
import { validateObjectMeta } from "./validate-object-meta.js";

/**
 * apiextensions-apiserver's objectmeta.Validate for `x-kubernetes-embedded-resource` objects below the
 * root: `apiVersion` and `kind` required and well-formed, `metadata` valid ObjectMeta (names as URL path
 * segments, a namespace only checked when set).
 */
export function validateEmbeddedResources(schema: SchemaNode, value: unknown): FieldError[] {
  const errors: FieldError[] = [];
  if (schema.subtree.embedded) walk(schema, value, "", false, errors);
  return errors;
}

function walk(
  node: SchemaNode | undefined,
  value: unknown,
  path: string,
  embedded: boolean,
  errors: FieldError[],
): void {
  if (!node || !node.subtree.embedded) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) =>
      walk(node.items, item, indexPath(path, i), node.items?.embeddedResource === true, errors),
    );
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  if (embedded) errors.push(...validateEmbedded(object, path));
  for (const [key, child] of Object.entries(object)) {
    const property = node.properties?.get(key);
    if (property) walk(property, child, childPath(path, key), property.embeddedResource, errors);
    else if (node.additionalProperties && node.additionalProperties !== true)
      walk(
        node.additionalProperties,
        child,
        keyPath(path, key),
        node.additionalProperties.embeddedResource,
        errors,
      );
  }
}

function validateEmbedded(object: Record<string, unknown>, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!Object.hasOwn(object, "apiVersion")) errors.push(required(childPath(path, "apiVersion")));
  if (!Object.hasOwn(object, "kind")) errors.push(required(childPath(path, "kind")));
  const { apiVersion, kind, metadata } = object;
  if (apiVersion !== undefined) {
    const at = childPath(path, "apiVersion");
    if (typeof apiVersion !== "string") errors.push(invalid(at, apiVersion, "must be a string"));
    else if (apiVersion === "") errors.push(required(at));
    else if (apiVersion.split("/").length > 2)
      errors.push(invalid(at, apiVersion, `unexpected GroupVersion string: ${apiVersion}`));
  }
  if (kind !== undefined) {
    const at = childPath(path, "kind");
    if (typeof kind !== "string") errors.push(invalid(at, kind, "must be a string"));
    else if (kind === "") errors.push(required(at));
    else {
      const problems = isDNS1035Label(kind.toLowerCase());
      if (problems.length > 0)
        errors.push(
          invalid(at, kind, `may have mixed case, but should otherwise match: ${problems.join(",")}`),
        );
    }
  }
  if (metadata && typeof metadata === "object" && !Array.isArray(metadata)) {
    const meta = { ...(metadata as ObjectMeta) };
    // kube validates an embedded object's metadata with a stand-in name when none is set.
    if (!meta.name) meta.name = "fakename";
    errors.push(
      ...validateObjectMeta(meta, {
        namespaced: typeof meta.namespace === "string" && meta.namespace !== "",
        nameValidation: "path-segment",
        path: childPath(path, "metadata"),
      }),
    );
  }
  return errors;
}
