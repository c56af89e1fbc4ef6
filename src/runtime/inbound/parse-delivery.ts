import type { ConnectorWebhook } from "../../api/types.js";
import { valueAt } from "./json-path.js";

/** One event found in a delivery. */
export interface ReceivedEvent {
  type: string;
  deliveryId: string | undefined;
  payload: unknown;
}

export class MalformedDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MalformedDeliveryError";
  }
}

/** The body as the connector says it is encoded: JSON, or form-encoded fields (Twilio, Slack commands). */
export function parseBody(raw: Buffer, contentType: "json" | "form"): unknown {
  const text = raw.toString("utf8");
  if (contentType === "form") return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedDeliveryError(`the body is not JSON: ${(error as Error).message}`);
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function text(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * The events of a delivery: one, or each element of `eventsJsonPath` (Microsoft Graph, Okta), each
 * with its type (a header or a path, plus a subtype such as GitHub's `action`) and the sender's
 * delivery id.
 */
export function eventsOf(
  webhook: ConnectorWebhook,
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
): ReceivedEvent[] {
  let payloads: unknown[] = [body];
  if (webhook.eventsJsonPath) {
    const list = valueAt(body, webhook.eventsJsonPath);
    if (!Array.isArray(list))
      throw new MalformedDeliveryError(`${webhook.eventsJsonPath} is not an array of events`);
    payloads = list;
  }
  const source = webhook.eventType;
  const deliverySource = webhook.deliveryId;
  const deliveryHeader = deliverySource?.header ? header(headers, deliverySource.header) : undefined;
  return payloads.map((payload, index) => {
    let type = source?.header
      ? header(headers, source.header)
      : source?.jsonPath
        ? text(valueAt(payload, source.jsonPath))
        : undefined;
    if (source && type === undefined)
      throw new MalformedDeliveryError(
        `no event type: ${source.header ? `header ${source.header}` : `${source.jsonPath ?? ""}`} is missing${payloads.length > 1 ? ` in event ${index}` : ""}`,
      );
    const subtype = source?.subtypeJsonPath ? text(valueAt(payload, source.subtypeJsonPath)) : undefined;
    if (subtype) type = `${type ?? ""}.${subtype}`;
    const id = deliverySource?.jsonPath ? text(valueAt(payload, deliverySource.jsonPath)) : deliveryHeader;
    return {
      type: type ?? "event",
      // Several events in one delivery share its header id; each is told apart by its position.
      deliveryId:
        id !== undefined && payloads.length > 1 && !deliverySource?.jsonPath ? `${id}#${index}` : id,
      payload,
    };
  });
}
