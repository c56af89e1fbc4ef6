import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../api-error.js";
import type { FailureFault, FaultInjector, LatencyFault } from "../faults/fault-injector.js";
import type { ObjectStore } from "../storage/object-store.js";
import { parseJson, readBody } from "./request-body.js";
import type { RequestStats } from "./request-stats.js";
import { send } from "./response.js";

/**
 * `/_switchboard/*`: fault injection, request statistics and watch-window compaction over HTTP, for
 * tests that drive a standalone server (`switchboard apiserver`). Same bearer token as the API.
 *
 * - `POST /_switchboard/faults` with `{"failNext": {...}}`, `{"latency": {...}}`, `{"dropWatches": true}` or `{"clear": true}`
 * - `GET /_switchboard/stats` (requests by verb, resource and code), `DELETE` to reset
 * - `POST /_switchboard/compact`: forget the watch window, so any older resourceVersion is 410 Gone
 */
export function adminEndpoints(faults: FaultInjector, stats: RequestStats, store: ObjectStore) {
  return async (request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    switch (`${request.method ?? ""} ${path}`) {
      case "POST /_switchboard/faults": {
        const body = parseJson(await readBody(request), "Faults") as {
          failNext?: FailureFault;
          latency?: LatencyFault;
          dropWatches?: boolean;
          clear?: boolean;
        };
        const result: Record<string, unknown> = {};
        if (body.clear) faults.clear();
        if (body.failNext) {
          if (typeof body.failNext.code !== "number" || typeof body.failNext.count !== "number") {
            throw ApiError.badRequest("failNext needs a numeric code and count");
          }
          faults.failNext(body.failNext);
        }
        if (body.latency) {
          if (typeof body.latency.milliseconds !== "number")
            throw ApiError.badRequest("latency needs milliseconds");
          faults.addLatency(body.latency);
        }
        if (body.dropWatches) result.droppedWatches = faults.dropWatches();
        send(response, 200, result);
        return true;
      }
      case "GET /_switchboard/stats":
        send(response, 200, { requests: stats.snapshot() });
        return true;
      case "DELETE /_switchboard/stats":
        stats.reset();
        send(response, 200, {});
        return true;
      case "POST /_switchboard/compact":
        for (const collection of store.collections()) collection.compact(store.revision);
        send(response, 200, { compactedRevision: store.revision });
        return true;
      default:
        return false;
    }
  };
}
