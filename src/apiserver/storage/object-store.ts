import type { KubeObject } from "../types.js";
import { Collection } from "./collection.js";

export interface StoreSnapshot {
  revision: number;
  collections: { storageKey: string; objects: KubeObject[] }[];
}

export interface ObjectLocation {
  storageKey: string;
  key: string;
}

/**
 * The server's etcd: every object of every resource, one global revision counter that orders all
 * writes, and the indexes the garbage collector needs (object by uid, dependents by owner uid).
 * It knows nothing of HTTP, validation or kinds; `put` and `remove` are its only writes.
 */
export class ObjectStore {
  #revision = 1;
  readonly #collections = new Map<string, Collection>();
  readonly #byUid = new Map<string, ObjectLocation>();
  readonly #dependents = new Map<string, Set<string>>();

  constructor(readonly historyCapacity: number) {}

  get revision(): number {
    return this.#revision;
  }

  collection(storageKey: string): Collection {
    let collection = this.#collections.get(storageKey);
    if (!collection) {
      collection = new Collection(storageKey, this.historyCapacity, this.#revision);
      this.#collections.set(storageKey, collection);
    }
    return collection;
  }

  collections(): Iterable<Collection> {
    return this.#collections.values();
  }

  get(storageKey: string, key: string): KubeObject | undefined {
    return this.#collections.get(storageKey)?.objects.get(key);
  }

  locate(uid: string): ObjectLocation | undefined {
    return this.#byUid.get(uid);
  }

  /** Locations of the objects whose ownerReferences name `ownerUid`. */
  dependentsOf(ownerUid: string): ObjectLocation[] {
    const set = this.#dependents.get(ownerUid);
    if (!set) return [];
    const locations: ObjectLocation[] = [];
    for (const uid of set) {
      const location = this.#byUid.get(uid);
      if (location) locations.push(location);
    }
    return locations;
  }

  /** Stores `object` under a new revision, which it stamps as `metadata.resourceVersion`. */
  put(storageKey: string, key: string, object: KubeObject): KubeObject {
    const collection = this.collection(storageKey);
    const previous = collection.objects.get(key);
    const revision = ++this.#revision;
    const stored: KubeObject = {
      ...object,
      metadata: { ...object.metadata, resourceVersion: String(revision) },
    };
    collection.objects.set(key, stored);
    this.#index(previous, stored, { storageKey, key });
    collection.record({ type: previous ? "MODIFIED" : "ADDED", object: stored, previous, revision });
    return stored;
  }

  /**
   * Removes an object; the DELETED event carries its last state (`finalState` when the removal is the
   * result of an update, such as the last finalizer going) with the revision of the removal.
   */
  remove(storageKey: string, key: string, finalState?: KubeObject): KubeObject | undefined {
    const collection = this.#collections.get(storageKey);
    const previous = collection?.objects.get(key);
    if (!collection || !previous) return undefined;
    const revision = ++this.#revision;
    const last = finalState ?? previous;
    const removed: KubeObject = {
      ...last,
      metadata: { ...last.metadata, resourceVersion: String(revision) },
    };
    collection.objects.delete(key);
    this.#index(previous, undefined, { storageKey, key });
    collection.record({ type: "DELETED", object: removed, previous, revision });
    return removed;
  }

  /** Every object and the revision counter: what a restarted server needs to carry on. */
  snapshot(): StoreSnapshot {
    return {
      revision: this.#revision,
      collections: [...this.#collections].map(([storageKey, collection]) => ({
        storageKey,
        objects: [...collection.objects.values()],
      })),
    };
  }

  /**
   * Loads a snapshot into an empty store. No watch events are recorded: watches start after it, and
   * their window begins at the snapshot's revision.
   */
  restore(snapshot: StoreSnapshot): void {
    if (this.#byUid.size > 0) throw new Error("a snapshot is restored into an empty store only");
    this.#revision = snapshot.revision;
    for (const { storageKey, objects } of snapshot.collections) {
      const collection = this.collection(storageKey);
      for (const object of objects) {
        const key = objectKey(object.metadata.namespace, object.metadata.name ?? "");
        collection.objects.set(key, object);
        this.#index(undefined, object, { storageKey, key });
      }
    }
  }

  /** Drops a whole collection (a CRD's resource that is no longer served). */
  drop(storageKey: string): void {
    const collection = this.#collections.get(storageKey);
    if (!collection) return;
    for (const [key, object] of collection.objects) this.#index(object, undefined, { storageKey, key });
    this.#collections.delete(storageKey);
  }

  #index(previous: KubeObject | undefined, next: KubeObject | undefined, location: ObjectLocation): void {
    const uid = (next ?? previous)?.metadata.uid;
    if (!uid) return;
    const before = previous?.metadata.ownerReferences ?? [];
    const after = next?.metadata.ownerReferences ?? [];
    for (const ref of before)
      if (!after.some((r) => r.uid === ref.uid)) this.#dependents.get(ref.uid)?.delete(uid);
    for (const ref of after) {
      let set = this.#dependents.get(ref.uid);
      if (!set) this.#dependents.set(ref.uid, (set = new Set()));
      set.add(uid);
    }
    if (next) this.#byUid.set(uid, location);
    else {
      this.#byUid.delete(uid);
      if (this.#dependents.get(uid)?.size === 0) this.#dependents.delete(uid);
    }
  }
}

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}
