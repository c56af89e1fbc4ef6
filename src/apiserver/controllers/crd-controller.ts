import { customResourceTypes, crdSpec } from "../resources/custom-resource-types.js";
import type { ResourceRegistry } from "../resources/resource-registry.js";
import { isStorageVersion } from "../resources/resource-type.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { ResourceStorage } from "../storage/resource-storage.js";
import { crdCleanupFinalizer } from "../strategies/crd-strategy.js";
import type { KubeObject } from "../types.js";
import type { WatchRegistry } from "../handlers/watch-handler.js";

/**
 * apiextensions-apiserver's controllers: a stored CRD starts serving its resources at once; a deleted
 * one has every instance deleted, then its cleanup finalizer removed, then stops serving (open
 * watches on it end, as they do when kube-apiserver drops a resource).
 */
export class CrdController {
  readonly #cleaning = new Set<string>();

  constructor(
    readonly storage: ResourceStorage,
    readonly store: ObjectStore,
    readonly registry: ResourceRegistry,
    readonly watches: WatchRegistry,
  ) {
    storage.onCommit((type, object, change) => {
      if (type.group !== "apiextensions.k8s.io" || type.plural !== "customresourcedefinitions") return;
      this.#observe(object, change);
    });
  }

  /** Serves the CRDs of a restored store, which arrived without commits. */
  serveStored(): void {
    const crds = this.store.collection("customresourcedefinitions.apiextensions.k8s.io");
    for (const crd of crds.objects.values()) this.#observe(crd, "put");
  }

  #observe(crd: KubeObject, change: "put" | "remove"): void {
    const name = crd.metadata.name ?? "";
    if (change === "remove") {
      const storageKey = this.#storageKey(crd);
      this.registry.replaceDefinedBy(name, []);
      this.watches.closeAll((t) => t.definedBy === name);
      this.store.drop(storageKey);
      return;
    }
    this.registry.replaceDefinedBy(name, customResourceTypes(crd));
    if (crd.metadata.deletionTimestamp) this.#scheduleCleanup(name);
  }

  #scheduleCleanup(name: string): void {
    if (this.#cleaning.has(name)) return;
    this.#cleaning.add(name);
    setImmediate(() => void this.#cleanup(name).finally(() => this.#cleaning.delete(name)));
  }

  async #cleanup(name: string): Promise<void> {
    const crdType = this.registry.lookup("apiextensions.k8s.io", "v1", "customresourcedefinitions");
    const crd = this.store.get("customresourcedefinitions.apiextensions.k8s.io", name);
    if (!crdType || !crd?.metadata.deletionTimestamp) return;
    const type = this.registry.all().find((t) => t.definedBy === name && isStorageVersion(t));
    const collection = this.store.collection(this.#storageKey(crd));
    if (type) {
      for (const object of [...collection.objects.values()]) {
        if (object.metadata.deletionTimestamp) continue;
        try {
          await this.storage.delete(type, object.metadata.namespace, object.metadata.name ?? "", {
            propagationPolicy: "Background",
          });
        } catch {
          // Already gone.
        }
      }
    }
    if (collection.objects.size > 0) {
      // Instances held by their own finalizers: look again when one of them goes.
      const unsubscribe = collection.subscribe((event) => {
        if (event.type === "DELETED" && collection.objects.size === 0) {
          unsubscribe();
          this.#scheduleCleanup(name);
        }
      });
      return;
    }
    await this.storage.patch(
      crdType,
      undefined,
      name,
      (current) => {
        current.metadata.finalizers = (current.metadata.finalizers ?? []).filter(
          (f) => f !== crdCleanupFinalizer,
        );
        return current;
      },
      { fieldManager: "apiextensions-apiserver" },
    );
  }

  #storageKey(crd: KubeObject): string {
    const spec = crdSpec(crd);
    return `${spec.names.plural}.${spec.group}`;
  }
}
