import type { ResourceType } from "./resource-type.js";

/**
 * Every resource the server serves, by group/version/plural. Custom resources come and go with their
 * CRDs; listeners hear about it so discovery and OpenAPI caches can be dropped.
 */
export class ResourceRegistry {
  readonly #byPath = new Map<string, ResourceType>();
  readonly #listeners = new Set<() => void>();
  #generation = 0;

  constructor(initial: ResourceType[] = []) {
    for (const type of initial) this.#byPath.set(pathKey(type.group, type.version, type.plural), type);
  }

  /** Bumped on every change, so caches can tell whether they are stale. */
  get generation(): number {
    return this.#generation;
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.#byPath.get(pathKey(group, version, plural));
  }

  /** The served version of `kind` in `group` that objects of `apiVersion` map to. */
  lookupKind(apiVersion: string, kind: string): ResourceType | undefined {
    const [group, version] = apiVersion.includes("/") ? apiVersion.split("/", 2) : ["", apiVersion];
    for (const type of this.#byPath.values()) {
      if (type.group === group && type.version === version && type.kind === kind) return type;
    }
    return undefined;
  }

  all(): ResourceType[] {
    return [...this.#byPath.values()];
  }

  /** Every served version of one stored resource: the types sharing a storage key. */
  sharingStorage(storageKey: string): ResourceType[] {
    return this.all().filter((t) => t.storageKey === storageKey);
  }

  /** Replaces every type defined by one CRD with `types` (none, when the CRD is gone). */
  replaceDefinedBy(crdName: string, types: ResourceType[]): void {
    for (const [key, type] of this.#byPath) if (type.definedBy === crdName) this.#byPath.delete(key);
    for (const type of types) this.#byPath.set(pathKey(type.group, type.version, type.plural), type);
    this.#changed();
  }

  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #changed(): void {
    this.#generation++;
    for (const listener of this.#listeners) listener();
  }
}

function pathKey(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}
