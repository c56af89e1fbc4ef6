import type { KubeObject } from "../types.js";

/** Which objects a list or watch wants: a namespace, label and field selectors, parsed once per request. */
export interface Selection {
  namespace: string | undefined;
  /** Set when the field selector pins `metadata.name`, so a watch on one object stays cheap. */
  name: string | undefined;
  matches(object: KubeObject): boolean;
}
