import type { ResourceType } from "../resources/resource-type.js";
import type { KindStrategy } from "./kind-strategy.js";

export function metadataStrategy(_type: ResourceType, strategy: KindStrategy): KindStrategy {
  return strategy;
}
