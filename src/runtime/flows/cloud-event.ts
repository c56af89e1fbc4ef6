import { randomUUID } from "node:crypto";

/** A CloudEvent 1.0 in its JSON form (structured mode), with the distributed tracing extension. */
export interface CloudEvent {
  specversion: "1.0";
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: "application/json";
  traceparent?: string;
  data: unknown;
}

export function cloudEvent(options: {
  id: string | undefined;
  source: string;
  type: string;
  subject: string | undefined;
  time: Date;
  traceparent: string | undefined;
  data: unknown;
}): CloudEvent {
  return {
    specversion: "1.0",
    id: options.id ?? randomUUID(),
    source: options.source,
    type: options.type,
    ...(options.subject ? { subject: options.subject } : {}),
    time: options.time.toISOString(),
    datacontenttype: "application/json",
    ...(options.traceparent ? { traceparent: options.traceparent } : {}),
    data: options.data,
  };
}

/** The HTTP binding (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/http-protocol-binding.md). */
export function cloudEventRequest(
  event: CloudEvent,
  mode: "structured" | "binary",
): { headers: Record<string, string>; body: string } {
  if (mode === "structured")
    return {
      headers: { "content-type": "application/cloudevents+json; charset=utf-8" },
      body: JSON.stringify(event),
    };
  const { data, datacontenttype, ...attributes } = event;
  const headers: Record<string, string> = { "content-type": datacontenttype };
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    // traceparent travels in its own W3C header; other attributes as ce-*, percent-encoded as the binding says.
    headers[name === "traceparent" ? "traceparent" : `ce-${name}`] =
      name === "traceparent" ? String(value) : percentEncode(String(value));
  }
  return { headers, body: JSON.stringify(data) };
}

/** Space, `"`, `%` and anything outside printable ASCII, as the HTTP binding requires; the rest as is. */
function percentEncode(value: string): string {
  return Array.from(new TextEncoder().encode(value), (byte) =>
    byte <= 0x20 || byte >= 0x7f || byte === 0x22 || byte === 0x25
      ? `%${byte.toString(16).toUpperCase().padStart(2, "0")}`
      : String.fromCharCode(byte),
  ).join("");
}
