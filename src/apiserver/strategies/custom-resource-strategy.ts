import type { ResourceType } from "../resources/resource-type.js";
import type { FieldError } from "../types.js";
import type { KindStrategy } from "./kind-strategy.js";

export function customResourceStrategy(_type: ResourceType): KindStrategy {
  return { allowUnconditionalUpdate: false };
}

export function schemaErrors(_schema: Record<string, unknown>, _path: string): FieldError[] {
  return [];
}
