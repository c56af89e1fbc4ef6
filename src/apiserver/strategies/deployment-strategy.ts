import type { KindStrategy } from "./kind-strategy.js";

/** The Deployment defaults that clients read back: replicas and the update strategy. */
export const deploymentStrategy: KindStrategy = {
  prepareForCreate(deployment) {
    const spec = (deployment.spec ?? {}) as Record<string, unknown>;
    deployment.spec = spec;
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } };
  },
  prepareForUpdate(deployment, old) {
    const spec = (deployment.spec ?? {}) as Record<string, unknown>;
    const oldSpec = (old.spec ?? {}) as Record<string, unknown>;
    deployment.spec = spec;
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= oldSpec.revisionHistoryLimit ?? 10;
    spec.progressDeadlineSeconds ??= oldSpec.progressDeadlineSeconds ?? 600;
    spec.strategy ??= oldSpec.strategy;
  },
};
