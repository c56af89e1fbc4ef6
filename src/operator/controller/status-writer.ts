import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "../../apiserver/types.js";
import type { KubeClient } from "../kube/kube-client.js";

export const fieldManager = "switchboard-operator";

/**
 * Writes an object's status once, at the end of a reconcile, with server-side apply on the status
 * subresource (the operator owns every status field, so fields it stops writing go away). Nothing is
 * sent when the status is what the cache already holds: a steady cluster sees no writes.
 */
export async function writeStatus(
  client: KubeClient,
  collectionPath: string,
  object: KubeObject,
  status: Record<string, unknown>,
): Promise<boolean> {
  if (isDeepStrictEqual(object.status, status)) return false;
  const name = object.metadata.name ?? "";
  const body = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { name, ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}) },
    status,
  };
  await client.request(
    "PATCH",
    `${collectionPath}/${encodeURIComponent(name)}/status?fieldManager=${fieldManager}&force=true`,
    JSON.stringify(body),
    "application/apply-patch+yaml",
  );
  return true;
}

/** The collection path of an object: `/apis/{group}/{version}[/namespaces/{ns}]/{plural}`. */
export function collectionPath(apiVersion: string, plural: string, namespace: string | undefined): string {
  const prefix = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
  return namespace ? `${prefix}/namespaces/${namespace}/${plural}` : `${prefix}/${plural}`;
}
