import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ConnectorSpec } from "../../api/types.js";
import type { CompiledFlow } from "../flows/compile-flows.js";
import type { Journal, NewDelivery } from "../journal/journal.js";
import { JournalFullError } from "../journal/journal.js";
import { sendJson } from "../http/json-response.js";
import { EventSchemas } from "./event-schemas.js";
import { signedHandshake, unsignedHandshake } from "./handshake.js";
import { eventsOf, MalformedDeliveryError, parseBody } from "./parse-delivery.js";
import { BodyTooLargeError, readBody } from "./read-body.js";
import { verifyRequest } from "./verification/verify-request.js";

export type RejectionReason =
  | "body-too-large"
  | "malformed"
  | "schema"
  | "journal-full"
  | "method"
  | "missing-signature"
  | "malformed-signature"
  | "bad-signature"
  | "stale-timestamp"
  | "unauthorized";

export interface WebhookReceiverOptions {
  connector: ConnectorSpec;
  /** The URL the vendor calls, without query: schemes that sign the URL need it as the vendor saw it. */
  externalURL: string;
  /** The verification secrets now (read on each delivery, so a rotated Secret applies at once). */
  secrets: () => readonly string[];
  maxBodyBytes: number;
  journal: Journal;
  flows: readonly CompiledFlow[];
  /** Called once deliveries are journaled, to start delivering them. */
  journaled: () => void;
  observe: {
    received(eventType: string): void;
    rejected(reason: RejectionReason): void;
    duplicate(): void;
    unrouted(eventType: string): void;
  };
  /** How long a sender should wait when the journal is full. @default 30 */
  retryAfterSeconds?: number;
  log: Logger;
}

/**
 * The webhook endpoint: handshakes, verification, parsing, payload schemas, duplicate detection, then
 * one journal write for the matching flows of every event, acknowledged only once it is on disk.
 * Each refusal has its status (401, 400, 413, 503 with Retry-After) and a message naming what is wrong;
 * none carries a secret or the body.
 */
export function webhookReceiver(options: WebhookReceiverOptions) {
  const webhook = options.connector.webhook ?? { verification: { scheme: "none" as const } };
  const schemas = new EventSchemas(options.connector.events ?? []);
  const external = new URL(options.externalURL);
  const reject = (
    response: ServerResponse,
    status: number,
    reason: RejectionReason,
    message: string,
    headers: Record<string, string> = {},
  ) => {
    options.observe.rejected(reason);
    sendJson(response, status, { error: message, reason }, headers);
  };

  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const query = (request.url ?? "").includes("?")
      ? (request.url ?? "").slice((request.url ?? "").indexOf("?"))
      : "";
    const url = new URL(external.pathname + query, external);
    const handshake = unsignedHandshake(webhook.handshake, request.method ?? "", url, request.headers);
    if (handshake) {
      response.writeHead(handshake.status, { "content-type": handshake.contentType }).end(handshake.body);
      return;
    }
    if (request.method !== "POST") {
      request.resume();
      reject(response, 405, "method", `${request.method ?? ""} is not accepted here: webhooks are POSTed`, {
        allow: "POST",
      });
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(request, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        reject(response, 413, "body-too-large", `${error.message}; the limit is spec.webhook.maxBodyBytes`, {
          connection: "close",
        });
        return;
      }
      throw error;
    }
    const verified = verifyRequest(
      webhook.verification,
      options.secrets(),
      { method: "POST", url: url.toString(), headers: request.headers, rawBody: raw },
      new Date(),
    );
    if (!verified.ok) {
      reject(response, 401, verified.reason, verified.message);
      return;
    }
    let deliveries: NewDelivery[];
    const ids: string[] = [];
    try {
      const body = parseBody(raw, webhook.contentType ?? "json");
      const answer = signedHandshake(webhook.handshake, url, request.headers, body);
      if (answer) {
        response.writeHead(answer.status, { "content-type": answer.contentType }).end(answer.body);
        return;
      }
      const events = eventsOf(webhook, body, request.headers);
      deliveries = [];
      for (const event of events) {
        const problem = schemas.check(event.type, event.payload);
        if (problem) {
          reject(response, 400, "schema", problem);
          return;
        }
        if (event.deliveryId !== undefined && options.journal.seen(event.deliveryId)) {
          options.observe.duplicate();
          continue;
        }
        if (event.deliveryId !== undefined) ids.push(event.deliveryId);
        const matching = options.flows.filter((f) => f.matches(event.type));
        if (matching.length === 0) options.observe.unrouted(event.type);
        const traceparent = first(request.headers.traceparent);
        const payload = JSON.stringify(event.payload);
        // One id follows the event through every log line: the sender's delivery id, or a new one.
        const correlationId = event.deliveryId ?? randomUUID();
        for (const flow of matching)
          deliveries.push({
            flow: flow.name,
            eventType: event.type,
            deliveryId: event.deliveryId,
            payload,
            meta: traceparent ? { traceparent, correlationId } : { correlationId },
          });
        options.log.debug(
          { correlationId, eventType: event.type, flows: matching.map((f) => f.name), traceparent },
          "event received",
        );
        options.observe.received(event.type);
      }
    } catch (error) {
      if (error instanceof MalformedDeliveryError) {
        reject(response, 400, "malformed", error.message);
        return;
      }
      throw error;
    }
    if (deliveries.length === 0 && ids.length === 0) {
      sendJson(response, 200, { accepted: 0 });
      return;
    }
    try {
      await options.journal.append(deliveries, ids);
    } catch (error) {
      if (error instanceof JournalFullError) {
        const retryAfter = String(options.retryAfterSeconds ?? 30);
        reject(response, 503, "journal-full", error.message, { "retry-after": retryAfter });
        return;
      }
      throw error;
    }
    options.journaled();
    sendJson(response, 200, { accepted: deliveries.length });
  };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
