import type { ResourceRegistry } from "../resources/resource-registry.js";
import type { ResourceType } from "../resources/resource-type.js";
import { controllerRevisionStrategy } from "./controller-revision-strategy.js";
import { crdStrategy } from "./crd-strategy.js";
import { customResourceStrategy, schemaErrors } from "./custom-resource-strategy.js";
import { deploymentStrategy } from "./deployment-strategy.js";
import type { KindStrategy } from "./kind-strategy.js";
import { metadataStrategy } from "./metadata-strategy.js";
import { namespaceStrategy } from "./namespace-strategy.js";
import { secretStrategy } from "./secret-strategy.js";
import { serviceStrategy } from "./service-strategy.js";

/** The strategy for each resource: built-in kinds by storage key, custom resources from their schema. */
export function strategies(_registry: ResourceRegistry): (type: ResourceType) => KindStrategy {
  const builtin = new Map<string, KindStrategy>([
    ["namespaces", namespaceStrategy],
    ["secrets", secretStrategy],
    ["services", serviceStrategy()],
    ["deployments.apps", deploymentStrategy],
    ["controllerrevisions.apps", controllerRevisionStrategy],
    ["customresourcedefinitions.apiextensions.k8s.io", crdStrategy(schemaErrors)],
  ]);
  const withMetadata = new Map<string, KindStrategy>();
  const custom = new WeakMap<ResourceType, KindStrategy>();
  return (type) => {
    if (type.definedBy !== undefined) {
      const cached = custom.get(type);
      if (cached) return cached;
      const strategy = metadataStrategy(type, customResourceStrategy(type));
      custom.set(type, strategy);
      return strategy;
    }
    const cached = withMetadata.get(type.storageKey);
    if (cached) return cached;
    const strategy = metadataStrategy(type, builtin.get(type.storageKey) ?? {});
    withMetadata.set(type.storageKey, strategy);
    return strategy;
  };
}
