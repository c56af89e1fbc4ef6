import type { ResourceRegistry } from "../resources/resource-registry.js";
import type { ResourceType } from "../resources/resource-type.js";
import { isStorageVersion } from "../resources/resource-type.js";
import { DeferredQueue } from "./deferred-queue.js";
import type { ResourceStorage } from "../storage/resource-storage.js";
import type { KubeObject } from "../types.js";

/**
 * kube-controller-manager's namespace controller: a deleted namespace turns Terminating, everything in
 * it is deleted (finalizers of that content are honoured), and once it is empty the `kubernetes`
 * finalizer is dropped and the namespace goes.
 */
export class NamespaceController {
  readonly #queue = new DeferredQueue((namespace) => this.#sync(namespace));

  constructor(
    readonly storage: ResourceStorage,
    readonly registry: ResourceRegistry,
  ) {
    storage.onCommit((type, object, change) => {
      if (
        type.plural === "namespaces" &&
        type.group === "" &&
        change === "put" &&
        object.metadata.deletionTimestamp
      ) {
        this.#enqueue(object.metadata.name ?? "");
      } else if (change === "remove" && type.namespaced && object.metadata.namespace) {
        const ns = this.storage.store.get("namespaces", object.metadata.namespace);
        if (ns?.metadata.deletionTimestamp) this.#enqueue(object.metadata.namespace);
      }
    });
  }

  #enqueue(namespace: string): void {
    this.#queue.add(namespace);
  }

  async #sync(name: string): Promise<void> {
    const namespaceType = this.registry.lookup("", "v1", "namespaces");
    const namespace = this.storage.store.get("namespaces", name);
    if (!namespaceType || !namespace?.metadata.deletionTimestamp) return;
    if ((namespace.status as { phase?: string } | undefined)?.phase !== "Terminating") {
      await this.storage.update(
        namespaceType,
        undefined,
        name,
        { ...namespace, status: { phase: "Terminating" } },
        {
          fieldManager: "namespace-controller",
          subresource: "status",
        },
      );
    }
    let remaining = 0;
    const seen = new Set<string>();
    for (const type of this.registry.all()) {
      if (!type.namespaced || seen.has(type.storageKey) || !isStorageVersion(type)) continue;
      seen.add(type.storageKey);
      const collection = this.storage.store.collection(type.storageKey);
      const inNamespace: KubeObject[] = [];
      for (const [key, object] of collection.objects)
        if (key.startsWith(`${name}/`)) inNamespace.push(object);
      remaining += inNamespace.length;
      for (const object of inNamespace) {
        if (object.metadata.deletionTimestamp) continue;
        await this.#deleteQuietly(type, object);
      }
    }
    if (remaining > 0) return;
    const current = this.storage.store.get("namespaces", name);
    if (!current) return;
    await this.storage.patch(
      namespaceType,
      undefined,
      name,
      (ns) => ({ ...ns, spec: { ...(ns.spec as object), finalizers: [] } }),
      { fieldManager: "namespace-controller", subresource: "finalize" },
    );
  }

  async #deleteQuietly(type: ResourceType, object: KubeObject): Promise<void> {
    try {
      await this.storage.delete(type, object.metadata.namespace, object.metadata.name ?? "", {
        propagationPolicy: "Background",
        preconditions: { uid: object.metadata.uid },
      });
    } catch {
      // Gone already, or changed under us: the next pass sees the truth.
    }
  }
}
