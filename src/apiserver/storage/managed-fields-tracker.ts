import type { ResetFields } from "../apply/field-set.js";
import { serverSideApply } from "../apply/server-side-apply.js";
import { trackUpdate } from "../apply/track-update.js";
import type { TypeNode } from "../apply/type-node.js";
import { builtinType, objectType, typeFromSchema } from "../apply/type-node.js";
import type { ResourceType } from "../resources/resource-type.js";
import { compileSchema } from "../schema/structural-schema.js";
import { timestamp } from "./object-meta.js";
import type { ManagedFieldsTracker } from "./managed-fields-port.js";

/** Server-side apply and managedFields tracking for every resource, with type information per resource. */
export function managedFieldsTracker(): ManagedFieldsTracker {
  const types = new WeakMap<ResourceType, TypeNode>();
  const typeOf = (type: ResourceType): TypeNode => {
    let node = types.get(type);
    if (!node) {
      node = type.schema ? objectType(typeFromSchema(compileSchema(type.schema))) : builtinType();
      types.set(type, node);
    }
    return node;
  };
  const resetFor = (type: ResourceType, subresource: string | undefined): ResetFields =>
    subresource === "status" ? "spec" : type.statusSubresource ? "status" : "none";
  return {
    trackUpdate({ type, before, after, manager, subresource, now }) {
      const managedFields = trackUpdate({
        before,
        after,
        manager,
        subresource,
        type: typeOf(type),
        time: timestamp(now),
        reset: resetFor(type, subresource),
      });
      const result = { ...after, metadata: { ...after.metadata } };
      if (managedFields) result.metadata.managedFields = managedFields;
      else delete result.metadata.managedFields;
      return result;
    },
    apply({ type, live, applied, manager, force, subresource, now }) {
      return serverSideApply({
        live,
        applied,
        manager,
        force,
        subresource,
        type: typeOf(type),
        time: timestamp(now),
        reset: resetFor(type, subresource),
      });
    },
  };
}
