import { ApiError } from "../api-error.js";
import { decodeContinue, encodeContinue } from "../http/continue-token.js";
import { send } from "../http/response.js";
import type { Selection } from "../http/selection.js";
import type { TableConverter } from "../http/table.js";
import { apiVersionOf } from "../resources/resource-type.js";
import { toServedVersion } from "../resources/version-conversion.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { KubeObject } from "../types.js";
import type { RequestContext } from "./request-context.js";

/**
 * GET on a collection: objects sorted by namespace/name, filtered by the selection, paged with
 * `limit`/`continue` and `remainingItemCount` as kube-apiserver pages from etcd.
 */
export function handleList(
  context: RequestContext,
  store: ObjectStore,
  selection: Selection,
  tables: TableConverter,
): void {
  const { type, query } = context;
  const collection = store.collection(type.storageKey);
  const revision = store.revision;
  if (
    query.resourceVersion &&
    query.resourceVersionMatch === "Exact" &&
    Number(query.resourceVersion) < collection.compactedRevision
  ) {
    throw ApiError.gone(
      `too old resource version: ${query.resourceVersion} (${collection.compactedRevision})`,
    );
  }
  let start = "";
  if (query.continueToken) {
    if (query.resourceVersion)
      throw ApiError.badRequest("specifying resource version is not allowed when using continue");
    start = decodeContinue(query.continueToken).start;
  }
  const keys = collection.sortedKeys();
  let index = start
    ? lowerBound(keys, start)
    : selection.namespace
      ? lowerBound(keys, `${selection.namespace}/`)
      : 0;
  const items: KubeObject[] = [];
  let lastKey = "";
  let more = false;
  let remaining = 0;
  for (; index < keys.length; index++) {
    const key = keys[index] as string;
    if (selection.namespace && !key.startsWith(`${selection.namespace}/`)) break;
    const object = collection.objects.get(key);
    if (!object || !selection.matches(object)) continue;
    if (query.limit > 0 && items.length === query.limit) {
      more = true;
      remaining++;
      continue;
    }
    items.push(object);
    lastKey = key;
  }
  const metadata: Record<string, unknown> = { resourceVersion: String(revision) };
  if (more) {
    metadata.continue = encodeContinue(revision, lastKey);
    metadata.remainingItemCount = remaining;
  }
  if (context.representation === "table") {
    const now = Date.now();
    send(context.response, 200, {
      kind: "Table",
      apiVersion: "meta.k8s.io/v1",
      metadata,
      columnDefinitions: tables.columnDefinitions(type),
      rows: items.map((item) => tables.row(type, toServedVersion(type, item), query.includeObject, now)),
    });
    return;
  }
  send(
    context.response,
    200,
    {
      kind: type.listKind,
      apiVersion: apiVersionOf(type),
      metadata,
      items: items.map((item) => toServedVersion(type, item)),
    },
    context.representation,
  );
}

function lowerBound(keys: string[], target: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((keys[mid] as string) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}
