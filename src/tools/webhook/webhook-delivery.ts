import { randomUUID } from "node:crypto";
import type { ConnectorSpec } from "../../api/types.js";

export interface WebhookDelivery {
  eventType: string;
  deliveryId: string;
  /** Lower-cased names: content type, event type and delivery id where the connector reads them. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * A delivery as the vendor would send it: the payload given, or the sample the connector documents
 * for the event type; the event type and a delivery id in the headers the connector reads them from;
 * JSON or form-encoded as the vendor sends. Signing is separate (`signWebhook`).
 */
export function buildDelivery(options: {
  connectorName: string;
  connector: ConnectorSpec;
  eventType: string;
  payload?: unknown;
  deliveryId?: string;
}): WebhookDelivery {
  const { connector, connectorName, eventType } = options;
  const webhook = connector.webhook;
  if (!webhook) throw new Error(`connector ${connectorName} receives no webhooks (it has no spec.webhook)`);
  let payload = options.payload;
  if (payload === undefined) {
    const event = connector.events?.find((e) => e.type === eventType);
    if (!event)
      throw new Error(
        `connector ${connectorName} has no event ${eventType}; it has ${(connector.events ?? []).map((e) => e.type).join(", ") || "none"}`,
      );
    if (event.sample === undefined)
      throw new Error(
        `connector ${connectorName} has no sample for ${eventType}: pass --file with a payload`,
      );
    payload = event.sample;
  }
  const deliveryId = options.deliveryId ?? `sb-${randomUUID()}`;
  const headers: Record<string, string> = {};
  let body: Buffer;
  if (webhook.contentType === "form") {
    if (!payload || typeof payload !== "object" || Array.isArray(payload))
      throw new Error("this connector's webhooks are form-encoded: the payload must be an object of fields");
    const form = new URLSearchParams();
    for (const [key, value] of Object.entries(payload as Record<string, unknown>))
      form.set(key, typeof value === "string" ? value : JSON.stringify(value));
    body = Buffer.from(form.toString());
    headers["content-type"] = "application/x-www-form-urlencoded";
  } else {
    body = Buffer.from(JSON.stringify(payload));
    headers["content-type"] = "application/json";
  }
  const source = webhook.eventType;
  if (source?.header) {
    const dot = eventType.lastIndexOf(".");
    headers[source.header.toLowerCase()] =
      source.subtypeJsonPath && dot > 0 ? eventType.slice(0, dot) : eventType;
  }
  if (webhook.deliveryId?.header) headers[webhook.deliveryId.header.toLowerCase()] = deliveryId;
  return { eventType, deliveryId, headers, body };
}
