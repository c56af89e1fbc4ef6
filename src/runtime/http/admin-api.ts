import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import type { Delivery, Journal } from "../journal/journal.js";
import { sendJson } from "./json-response.js";

/**
 * The admin port: `/metrics`, the dead letters (`GET /deadletters`, `POST /deadletters/{id}/replay`,
 * `DELETE /deadletters/{id}`), and delivery held or let go (`POST /delivery/pause`, `/delivery/resume`)
 * while events keep being received and journaled. In a cluster it is reached through the API server's service proxy,
 * where RBAC on `services/proxy` decides who may; the runtime's NetworkPolicy keeps it from other pods.
 */
export function adminApi(options: {
  journal: Journal;
  registry: Registry;
  replayed: () => void;
  delivery: { pause(): void; resume(): void; readonly paused: boolean };
}) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/^\/admin/, "");
    if (path === "/metrics" && request.method === "GET") {
      const text = await options.registry.metrics();
      response.writeHead(200, { "content-type": options.registry.contentType }).end(text);
      return;
    }
    if (path === "/deadletters" && request.method === "GET") {
      const limit = Math.min(1000, Number(url.searchParams.get("limit") ?? 100) || 100);
      const offset = Number(url.searchParams.get("offset") ?? 0) || 0;
      sendJson(response, 200, {
        items: options.journal.deadLetters(limit, offset).map(view),
        counts: options.journal.counts(),
      });
      return;
    }
    const match = /^\/deadletters\/(\d+)(\/replay)?$/.exec(path);
    if (match) {
      const id = Number(match[1]);
      if (match[2] && request.method === "POST") {
        if (!options.journal.replay(id)) return sendJson(response, 404, { error: `no dead letter ${id}` });
        options.replayed();
        return sendJson(response, 200, { replayed: id });
      }
      if (!match[2] && request.method === "DELETE") {
        if (!options.journal.discard(id)) return sendJson(response, 404, { error: `no dead letter ${id}` });
        return sendJson(response, 200, { discarded: id });
      }
      if (!match[2] && request.method === "GET") {
        const delivery = options.journal.get(id);
        if (!delivery || delivery.state !== 4)
          return sendJson(response, 404, { error: `no dead letter ${id}` });
        return sendJson(response, 200, {
          ...view(delivery),
          payload: JSON.parse(delivery.payload) as unknown,
        });
      }
    }
    if (path === "/delivery" && request.method === "GET")
      return sendJson(response, 200, { paused: options.delivery.paused, counts: options.journal.counts() });
    if ((path === "/delivery/pause" || path === "/delivery/resume") && request.method === "POST") {
      if (path.endsWith("pause")) options.delivery.pause();
      else options.delivery.resume();
      return sendJson(response, 200, { paused: options.delivery.paused });
    }
    if (path === "/healthz") return sendJson(response, 200, { ok: true });
    sendJson(response, 404, { error: `no route ${request.method ?? ""} ${url.pathname}` });
  };
}

/** A dead letter as listed: what, when, how often, why; the payload only when one is asked for. */
function view(delivery: Delivery) {
  return {
    id: delivery.id,
    flow: delivery.flow,
    eventType: delivery.eventType,
    deliveryId: delivery.deliveryId,
    attempts: delivery.attempts,
    receivedAt: new Date(delivery.receivedAt).toISOString(),
    lastError: delivery.lastError,
  };
}
