import type { KubeObject } from "../types.js";
import type { KindStrategy } from "./kind-strategy.js";

/**
 * Namespaces carry the `kubernetes` finalizer in `spec.finalizers`; deleting one sets it Terminating
 * until the namespace controller has removed its content and the finalizer.
 */
export const namespaceStrategy: KindStrategy = {
  prepareForCreate(namespace) {
    namespace.spec = { finalizers: ["kubernetes"] };
    namespace.status = { phase: "Active" };
    const labels = { ...(namespace.metadata.labels ?? {}) };
    labels["kubernetes.io/metadata.name"] = namespace.metadata.name ?? "";
    namespace.metadata.labels = labels;
  },
  prepareForUpdate(namespace, old, context) {
    // Only the `finalize` subresource may change spec.finalizers, as in kube.
    if (context.subresource !== "finalize") namespace.spec = old.spec;
    namespace.status ??= old.status;
    const labels = { ...(namespace.metadata.labels ?? {}) };
    labels["kubernetes.io/metadata.name"] = namespace.metadata.name ?? "";
    namespace.metadata.labels = labels;
  },
  hasPendingFinalization: (namespace: KubeObject) => {
    const finalizers = (namespace.spec as { finalizers?: string[] } | undefined)?.finalizers;
    return Array.isArray(finalizers) && finalizers.length > 0;
  },
};
