import type { ResourceType } from "../resources/resource-type.js";
import type { KubeObject } from "../types.js";

/** Server-side apply and managedFields bookkeeping, as the storage layer needs them. */
export interface ManagedFieldsTracker {
  /** managedFields for the result of a create, update or non-apply patch by `manager`. */
  trackUpdate(input: {
    type: ResourceType;
    before: KubeObject | undefined;
    after: KubeObject;
    manager: string;
    subresource: string | undefined;
    now: Date;
  }): KubeObject;
  /** The object that results from applying `applied` over `live`; throws a 409 ApiError on conflicts. */
  apply(input: {
    type: ResourceType;
    live: KubeObject | undefined;
    applied: KubeObject;
    manager: string;
    force: boolean;
    subresource: string | undefined;
    now: Date;
  }): KubeObject;
}
