import { isObject } from "./merge-patch.js";

/**
 * Strategic merge patch for the built-in kinds this server serves: a merge patch in which lists named
 * below merge element by element on their key instead of being replaced, with the `$patch`,
 * `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` directives kubectl sends.
 */
const mergeKeys: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  imagePullSecrets: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  conditions: "type",
  ownerReferences: "uid",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
};

// Lists whose key depends on where they are: container ports by containerPort, Service ports by port.
function keyFor(field: string, parentPath: string[]): string | undefined {
  if (field === "ports")
    return parentPath.includes("template") || parentPath.includes("containers") ? "containerPort" : "port";
  return mergeKeys[field];
}

const primitiveMergeLists = new Set(["finalizers"]);

export function strategicMergePatch(target: unknown, patch: unknown, path: string[] = []): unknown {
  if (!isObject(patch)) return patch;
  if (patch.$patch === "replace") {
    const { $patch: _, ...rest } = patch;
    return rest;
  }
  if (patch.$patch === "delete") return undefined;
  const result: Record<string, unknown> = isObject(target) ? { ...target } : {};
  const retainKeys = Array.isArray(patch.$retainKeys) ? (patch.$retainKeys as string[]) : undefined;
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$retainKeys" || key === "$patch" || key.startsWith("$setElementOrder/")) continue;
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value))
        result[field] = current.filter((item) => !value.includes(item));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    const mergeKey = keyFor(key, path);
    if (Array.isArray(value) && mergeKey)
      result[key] = mergeList(result[key], value, mergeKey, [...path, key]);
    else if (Array.isArray(value) && primitiveMergeLists.has(key) && Array.isArray(result[key])) {
      result[key] = [...new Set([...(result[key] as unknown[]), ...(value as unknown[])])];
    } else {
      const merged = strategicMergePatch(result[key], value, [...path, key]);
      if (merged === undefined) delete result[key];
      else result[key] = merged;
    }
  }
  if (retainKeys) for (const key of Object.keys(result)) if (!retainKeys.includes(key)) delete result[key];
  return result;
}

function mergeList(target: unknown, patch: unknown[], mergeKey: string, path: string[]): unknown[] {
  if (patch.length === 1 && isObject(patch[0]) && patch[0].$patch === "replace") return [];
  const result = Array.isArray(target) ? [...(target as unknown[])] : [];
  for (const element of patch) {
    if (!isObject(element)) {
      result.push(element);
      continue;
    }
    const index = result.findIndex((e) => isObject(e) && e[mergeKey] === element[mergeKey]);
    if (element.$patch === "delete") {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = strategicMergePatch(result[index], element, path);
    else result.push(strategicMergePatch(undefined, element, path));
  }
  return result;
}
