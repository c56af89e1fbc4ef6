import { DeferredQueue } from "./deferred-queue.js";
import type { ResourceRegistry } from "../resources/resource-registry.js";
import type { ResourceType } from "../resources/resource-type.js";
import { isStorageVersion } from "../resources/resource-type.js";
import type { ObjectLocation } from "../storage/object-store.js";
import type { ResourceStorage } from "../storage/resource-storage.js";
import type { KubeObject } from "../types.js";

/**
 * kube-controller-manager's garbage collector, in process: when an owner goes, its dependents go
 * (background), or go first (foreground, `foregroundDeletion` finalizer), or lose their owner
 * reference (orphan, `orphan` finalizer). Dependents whose owners are all gone are collected too.
 * Work is queued and done after the write that caused it, never inside it.
 */
export class GarbageCollector {
  readonly #queue = new DeferredQueue((item) => this.#process(item));

  constructor(
    readonly storage: ResourceStorage,
    readonly registry: ResourceRegistry,
  ) {
    storage.onCommit((type, object, change) => this.#observe(type, object, change));
  }

  /** Resolves once every queued collection has been processed. */
  settled(): Promise<void> {
    return this.#queue.settled();
  }

  #observe(type: ResourceType, object: KubeObject, change: "put" | "remove"): void {
    const uid = object.metadata.uid;
    if (!uid) return;
    // A dependent of an owner in foreground deletion may have been the one holding it.
    for (const ref of object.metadata.ownerReferences ?? []) this.#enqueue(`owner-deleting-check:${ref.uid}`);
    if (change === "remove") {
      this.#enqueue(`owner-gone:${uid}`);
      return;
    }
    const finalizers = object.metadata.finalizers ?? [];
    if (
      object.metadata.deletionTimestamp &&
      (finalizers.includes("foregroundDeletion") || finalizers.includes("orphan"))
    ) {
      this.#enqueue(`owner-deleting:${type.storageKey}:${uid}`);
    }
    if ((object.metadata.ownerReferences ?? []).length > 0) this.#enqueue(`dependent:${uid}`);
  }

  #enqueue(item: string): void {
    this.#queue.add(item);
  }

  async #process(item: string): Promise<void> {
    const [kind, ...rest] = item.split(":");
    const uid = rest[rest.length - 1] ?? "";
    switch (kind) {
      case "owner-gone":
        for (const location of this.storage.store.dependentsOf(uid)) await this.#collectIfOrphaned(location);
        return;
      case "dependent": {
        const location = this.storage.store.locate(uid);
        if (location) await this.#collectIfOrphaned(location);
        return;
      }
      case "owner-deleting":
      case "owner-deleting-check":
        await this.#finishOwnerDeletion(uid);
        return;
    }
  }

  /** Deletes a dependent (in the background) once none of its owners exists any more. */
  async #collectIfOrphaned(location: ObjectLocation): Promise<void> {
    const object = this.storage.store.get(location.storageKey, location.key);
    const type = this.#typeOf(location.storageKey);
    if (!object || !type || object.metadata.deletionTimestamp) return;
    const refs = object.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const anyOwnerLeft = refs.some((ref) => {
      const owner = this.storage.store.locate(ref.uid);
      return (
        owner !== undefined && this.storage.store.get(owner.storageKey, owner.key)?.metadata.uid === ref.uid
      );
    });
    if (anyOwnerLeft) return;
    await this.storage.delete(type, object.metadata.namespace, object.metadata.name ?? "", {
      propagationPolicy: "Background",
      preconditions: { uid: object.metadata.uid },
    });
  }

  async #finishOwnerDeletion(ownerUid: string): Promise<void> {
    const location = this.storage.store.locate(ownerUid);
    if (!location) return;
    const owner = this.storage.store.get(location.storageKey, location.key);
    const ownerType = this.#typeOf(location.storageKey);
    if (!owner || !ownerType || !owner.metadata.deletionTimestamp) return;
    const finalizers = owner.metadata.finalizers ?? [];
    const dependents = this.storage.store.dependentsOf(ownerUid);
    if (finalizers.includes("orphan")) {
      for (const dependent of dependents) await this.#dropOwnerReference(dependent, ownerUid);
      await this.#removeFinalizer(ownerType, owner, "orphan");
      return;
    }
    if (!finalizers.includes("foregroundDeletion")) return;
    let waiting = false;
    for (const dependentLocation of dependents) {
      const dependent = this.storage.store.get(dependentLocation.storageKey, dependentLocation.key);
      const type = this.#typeOf(dependentLocation.storageKey);
      if (!dependent || !type) continue;
      const ref = dependent.metadata.ownerReferences?.find((r) => r.uid === ownerUid);
      if (ref?.blockOwnerDeletion) waiting = true;
      if (!dependent.metadata.deletionTimestamp) {
        await this.storage.delete(type, dependent.metadata.namespace, dependent.metadata.name ?? "", {
          propagationPolicy: "Foreground",
          preconditions: { uid: dependent.metadata.uid },
        });
      }
    }
    const left = this.storage.store
      .dependentsOf(ownerUid)
      .some((d) =>
        this.storage.store
          .get(d.storageKey, d.key)
          ?.metadata.ownerReferences?.some((r) => r.uid === ownerUid && r.blockOwnerDeletion),
      );
    if (!waiting || !left) await this.#removeFinalizer(ownerType, owner, "foregroundDeletion");
  }

  async #dropOwnerReference(location: ObjectLocation, ownerUid: string): Promise<void> {
    const type = this.#typeOf(location.storageKey);
    const object = this.storage.store.get(location.storageKey, location.key);
    if (!type || !object) return;
    await this.storage.patch(
      type,
      object.metadata.namespace,
      object.metadata.name ?? "",
      (current) => {
        const refs = (current.metadata.ownerReferences ?? []).filter((r) => r.uid !== ownerUid);
        if (refs.length > 0) current.metadata.ownerReferences = refs;
        else delete current.metadata.ownerReferences;
        return current;
      },
      { fieldManager: "generic-garbage-collector" },
    );
  }

  async #removeFinalizer(type: ResourceType, object: KubeObject, finalizer: string): Promise<void> {
    await this.storage.patch(
      type,
      object.metadata.namespace,
      object.metadata.name ?? "",
      (current) => {
        current.metadata.finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== finalizer);
        return current;
      },
      { fieldManager: "generic-garbage-collector" },
    );
  }

  #typeOf(storageKey: string): ResourceType | undefined {
    return this.registry.all().find((t) => t.storageKey === storageKey && isStorageVersion(t));
  }
}
