import { serverSideApply } from "../apply/apply.js";
import type { ResetFields } from "../apply/reset-fields.js";
import { trackUpdate } from "../apply/track-update.js";
import type { ObjectType } from "../apply/type-info.js";
import { builtinTypeInfo, typeInfoFromSchema } from "../apply/type-info.js";
import type { ResourceType } from "../resources/resource-type.js";
import type { ManagedFieldsTracker } from "./managed-fields-port.js";

/** Server-side apply and managedFields tracking for every resource, with the type information of each. */
export function managedFieldsTracker(): ManagedFieldsTracker {
  const types = new WeakMap<ResourceType, ObjectType>();
  const typeInfoOf = (type: ResourceType): ObjectType => {
    let info = types.get(type);
    if (!info) {
      info = type.schema ? typeInfoFromSchema(type.schema) : builtinTypeInfo(type.group, type.kind);
      types.set(type, info);
    }
    return info;
  };
  const resetFor = (type: ResourceType, subresource: string | undefined): ResetFields =>
    subresource === "status" ? "spec" : type.statusSubresource ? "status" : "none";
  return {
    trackUpdate({ type, before, after, manager, subresource, now }) {
      const managedFields = trackUpdate({
        before,
        after,
        manager,
        apiVersion: type.storageVersion,
        subresource,
        typeInfo: typeInfoOf(type),
        now,
        resetFields: resetFor(type, subresource),
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
        apiVersion: type.storageVersion,
        subresource,
        typeInfo: typeInfoOf(type),
        now,
        resetFields: resetFor(type, subresource),
      });
    },
  };
}
