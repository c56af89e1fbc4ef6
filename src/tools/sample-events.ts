import type { ConnectorSpec, ConnectorWebhook } from "../api/types.js";
import type { ReceivedEvent } from "../runtime/inbound/parse-delivery.js";
import { eventsOf, MalformedDeliveryError, parseBody } from "../runtime/inbound/parse-delivery.js";
import { valueAt } from "../runtime/inbound/json-path.js";
import { UsageError } from "./usage-error.js";

/** The events of a sample payload, and what the reader should know about how they were found. */
export interface SampleEvents {
  events: ReceivedEvent[];
  notes: string[];
}

/**
 * The events the runtime would find in a payload, read as the connector says (JSON or form fields,
 * one event or each of `eventsJsonPath`), each with its type from the payload as the connector says,
 * or `type` (the whole event type the flows match, e.g. `issues.opened`) when given. A payload file
 * has no headers: a type the connector reads from a header must be given, and the error says so.
 */
export function sampleEvents(
  connector: ConnectorSpec,
  raw: Buffer,
  type: string | undefined,
  file: string,
): SampleEvents {
  const webhook: ConnectorWebhook = connector.webhook ?? { verification: { scheme: "none" } };
  const source = webhook.eventType;
  let body: unknown;
  let events: ReceivedEvent[];
  try {
    body = parseBody(raw, webhook.contentType ?? "json");
    events = eventsOf(type === undefined ? webhook : { ...webhook, eventType: undefined }, body, {});
  } catch (error) {
    if (!(error instanceof MalformedDeliveryError)) throw error;
    if (source?.header && error.message.startsWith("no event type"))
      throw new UsageError(
        `the connector reads the event type from the ${source.header} header, which a payload file does not have: pass --type <event type>${examples(connector)}`,
      );
    if (error.message.startsWith("no event type"))
      throw new UsageError(
        `${file}: ${error.message.replace(/^no event type: /, "")}: pass --type <event type>`,
      );
    throw new UsageError(`${file}: ${error.message}`);
  }
  if (type === undefined) return { events, notes: [] };
  const notes: string[] = [];
  const subtypePath = source?.subtypeJsonPath;
  for (const event of events) {
    const subtype = subtypePath ? valueAt(event.payload, subtypePath) : undefined;
    if (typeof subtype === "string" && subtype !== "" && !type.endsWith(`.${subtype}`))
      notes.push(
        `the runtime appends the payload's ${subtypePath} ("${subtype}") to the ${source?.header ? `${source.header} header` : "event type"}: --type is the whole event type, e.g. ${type}.${subtype}`,
      );
    event.type = type;
  }
  return { events, notes: [...new Set(notes)] };
}

function examples(connector: ConnectorSpec): string {
  const types = (connector.events ?? []).map((e) => e.type);
  return types.length === 0
    ? ""
    : ` (one of ${types.slice(0, 4).join(", ")}${types.length > 4 ? ", ..." : ""})`;
}
