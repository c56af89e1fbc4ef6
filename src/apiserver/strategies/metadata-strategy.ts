import type { ResourceType } from "../resources/resource-type.js";
import { validateObjectMeta } from "../schema/validate-object-meta.js";
import type { KindStrategy } from "./kind-strategy.js";

/** Adds apimachinery's ObjectMeta validation to a kind's own validation. */
export function metadataStrategy(type: ResourceType, strategy: KindStrategy): KindStrategy {
  return {
    ...strategy,
    validate(object, old, context) {
      return [
        ...validateObjectMeta(object.metadata, type.nameValidation),
        ...(strategy.validate?.(object, old, context) ?? []),
      ];
    },
  };
}
