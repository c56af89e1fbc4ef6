import type { SchemaNode } from "./structural-schema.js";

export interface PruneOptions {
  /**
   * Treat the value as a resource root, whose `apiVersion`, `kind` and `metadata` are left alone (as those
   * of embedded resources always are). @default true
   */
  isResourceRoot?: boolean;
  /** Collect the paths of pruned fields (for `fieldValidation`); false skips the bookkeeping. @default true */
  returnPruned?: boolean;
}

const metaFields = new Set(["apiVersion", "kind", "metadata"]);

/**
 * apiextensions-apiserver's pruning: removes, in place, object fields the schema does not specify, and
 * returns their paths (`spec.foo`, `spec.items[0].bar`), sorted, as kube reports them for
 * `fieldValidation=Strict|Warn`. Fields under `x-kubernetes-preserve-unknown-fields` are kept (but their
 * known properties still pruned), and under `additionalProperties: true` only scalars survive, as in kube.
 */
export function pruneUnknownFields(schema: SchemaNode, value: unknown, options: PruneOptions = {}): string[] {
  const pruned: string[] | undefined = options.returnPruned === false ? undefined : [];
  prune(value, schema, "", pruned, options.isResourceRoot !== false);
  return pruned ? pruned.sort() : [];
}

function prune(
  value: unknown,
  node: SchemaNode | undefined,
  path: string,
  pruned: string[] | undefined,
  embedded = node?.embeddedResource === true,
): void {
  if (node?.preserveUnknownFields) {
    skipPrune(value, node, path, pruned, embedded);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => prune(item, node?.items, `${path}[${i}]`, pruned));
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (node && embedded && metaFields.has(key)) continue;
    const property = node?.properties?.get(key);
    const childPath = path ? `${path}.${key}` : key;
    if (property) prune(object[key], property, childPath, pruned);
    else if (node?.additionalProperties !== undefined)
      prune(
        object[key],
        node.additionalProperties === true ? undefined : node.additionalProperties,
        childPath,
        pruned,
      );
    else {
      if (!metaFields.has(key) || path !== "") pruned?.push(childPath);
      delete object[key];
    }
  }
}

// Under x-kubernetes-preserve-unknown-fields unknown fields stay, known ones are still pruned below.
function skipPrune(
  value: unknown,
  node: SchemaNode,
  path: string,
  pruned: string[] | undefined,
  embedded: boolean,
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => prune(item, node.items, `${path}[${i}]`, pruned));
    return;
  }
  if (!value || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (embedded && metaFields.has(key)) continue;
    const property = node.properties?.get(key);
    const childPath = path ? `${path}.${key}` : key;
    if (property) prune(object[key], property, childPath, pruned);
    else if (node.additionalProperties !== undefined)
      prune(
        object[key],
        node.additionalProperties === true ? undefined : node.additionalProperties,
        childPath,
        pruned,
      );
  }
}
