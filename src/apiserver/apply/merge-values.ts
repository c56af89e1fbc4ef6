import type { JsonMap } from "./json-value.js";
import { jsonEqual } from "./json-value.js";
import type { PathElement } from "./path-element.js";
import type { ListType, TypeInfo } from "./type-model.js";
import { keyType, untypedMap } from "./type-model.js";
import { isEmptyShape, shapeOf, storedItemElement } from "./typed-value.js";

/**
 * Merges an applied configuration into the live value, as structured-merge-diff's `Merge`: the
 * configuration wins at every leaf (atomic maps and lists included); granular maps merge key by key;
 * set and map lists merge item by item. `null` in the configuration clears a leaf but says nothing
 * about a granular map.
 *
 * Where the merge changes nothing, the live value itself is returned, so that an unchanged apply is
 * recognised by identity without walking the object again. The result shares subtrees with both
 * inputs: copy it before keeping it.
 */
export function mergeValues(live: unknown, config: unknown, type: TypeInfo): unknown {
  if (config === undefined) return live;
  if (live === undefined) return config;
  const left = shapeOf(type, live);
  const right = shapeOf(type, config);
  if (left.kind === "leaf" || left.kind !== right.kind || (isEmptyShape(left) && isEmptyShape(right)))
    return jsonEqual(live, config) ? live : config;
  if (left.kind === "map" && right.kind === "map") {
    const theirs = right.value ?? {};
    const out: JsonMap = {};
    let changed = left.value === null;
    for (const [key, value] of Object.entries(left.value ?? {})) {
      if (value === undefined) continue;
      const merged = mergeValues(value, theirs[key], keyType(left.type, key)?.type ?? untypedMap);
      if (merged !== value) changed = true;
      out[key] = merged;
    }
    for (const [key, value] of Object.entries(theirs)) {
      if (value === undefined || key in out) continue;
      out[key] = value;
      changed = true;
    }
    return changed ? out : live;
  }
  if (left.kind === "list" && right.kind === "list") {
    const merged = mergeLists(left.value ?? [], right.value ?? [], left.type);
    const same =
      left.value !== null &&
      merged.length === left.value.length &&
      merged.every((item, i) => item === left.value?.[i]);
    return same ? live : merged;
  }
  return config;
}

/**
 * Items are matched by key. The configuration's order wins: items only the live list has stay where
 * they were relative to the items around them, as structured-merge-diff's list merge orders them.
 */
function mergeLists(live: unknown[], config: unknown[], list: ListType): unknown[] {
  const configElements: PathElement[] = [];
  const configItems = new Map<PathElement, unknown>();
  for (const item of config) {
    const element = storedItemElement(list, item);
    if (configItems.has(element)) continue;
    configItems.set(element, item);
    configElements.push(element);
  }
  const liveElements = live.map((item) => storedItemElement(list, item));
  const liveItems = new Map<PathElement, unknown>();
  liveElements.forEach((element, i) => {
    if (!liveItems.has(element)) liveItems.set(element, live[i]);
  });

  const shared = configElements.filter((element) => liveItems.has(element));
  let nextShared = 0;
  const merged = new Set<PathElement>();
  const out: unknown[] = [];
  const take = (element: PathElement): void => {
    merged.add(element);
    out.push(mergeValues(liveItems.get(element), configItems.get(element), list.items));
    if (shared[nextShared] === element) nextShared++;
  };

  let l = 0;
  let r = 0;
  while (l < liveElements.length || r < configElements.length) {
    const liveElement = liveElements[l];
    const configElement = configElements[r];
    if (liveElement !== undefined && configElement !== undefined) {
      if (liveElement === configElement) {
        take(configElement);
        l++;
        r++;
        continue;
      }
      // A shared item, but not the next one the configuration places: it will be placed then.
      const want = shared[nextShared];
      if (configItems.has(liveElement) && want !== undefined && want !== liveElement) {
        l++;
        continue;
      }
    }
    if (liveElement !== undefined) {
      if (!configItems.has(liveElement)) {
        out.push(live[l]);
        l++;
        continue;
      }
      if (merged.has(liveElement)) {
        l++;
        continue;
      }
    }
    if (configElement !== undefined) {
      take(configElement);
      r++;
    }
  }
  return out;
}
