import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../api/types.js";
import { sampleEvents } from "./sample-events.js";
import { UsageError } from "./usage-error.js";

const base: ConnectorSpec = { displayName: "X", category: "itops", version: "1.0.0" };
const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const byPath: ConnectorSpec = {
  ...base,
  webhook: {
    verification: { scheme: "none" },
    eventType: { jsonPath: "type" },
    deliveryId: { jsonPath: "id" },
  },
};
const byHeader: ConnectorSpec = {
  ...base,
  webhook: {
    verification: { scheme: "github" },
    eventType: { header: "X-GitHub-Event", subtypeJsonPath: "action" },
    deliveryId: { header: "X-GitHub-Delivery" },
  },
  events: [{ type: "ping" }, { type: "push" }],
};

describe("the events of a sample payload", () => {
  it("reads the type and delivery id from the payload as the connector says", () => {
    expect(sampleEvents(byPath, json({ type: "invoice.paid", id: "evt_1" }), undefined, "e.json")).toEqual({
      events: [{ type: "invoice.paid", deliveryId: "evt_1", payload: { type: "invoice.paid", id: "evt_1" } }],
      notes: [],
    });
  });

  it("splits a delivery of several events, and reads form fields", () => {
    const okta: ConnectorSpec = {
      ...base,
      webhook: {
        verification: { scheme: "none" },
        eventsJsonPath: "data.events",
        eventType: { jsonPath: "eventType" },
      },
    };
    const body = {
      data: { events: [{ eventType: "user.session.start" }, { eventType: "user.lifecycle.create" }] },
    };
    expect(sampleEvents(okta, json(body), undefined, "e.json").events.map((e) => e.type)).toEqual([
      "user.session.start",
      "user.lifecycle.create",
    ]);
    const twilio: ConnectorSpec = {
      ...base,
      webhook: {
        verification: { scheme: "twilio" },
        contentType: "form",
        eventType: { jsonPath: "MessageStatus" },
      },
    };
    expect(
      sampleEvents(twilio, Buffer.from("MessageStatus=delivered&To=%2B1555"), undefined, "e.txt").events,
    ).toEqual([
      { type: "delivered", deliveryId: undefined, payload: { MessageStatus: "delivered", To: "+1555" } },
    ]);
  });

  it("takes --type as the whole event type, noting a subtype the runtime would have appended", () => {
    expect(sampleEvents(byHeader, json({ action: "opened" }), "issues.opened", "e.json")).toEqual({
      events: [{ type: "issues.opened", deliveryId: undefined, payload: { action: "opened" } }],
      notes: [],
    });
    const { events, notes } = sampleEvents(byHeader, json({ action: "opened" }), "issues", "e.json");
    expect(events[0]?.type).toBe("issues");
    expect(notes).toEqual([
      'the runtime appends the payload\'s action ("opened") to the X-GitHub-Event header: --type is the whole event type, e.g. issues.opened',
    ]);
  });

  it("asks for --type when the connector reads the type from a header, naming some types", () => {
    expect(() => sampleEvents(byHeader, json({ zen: "x" }), undefined, "e.json")).toThrow(
      new UsageError(
        "the connector reads the event type from the X-GitHub-Event header, which a payload file does not have: pass --type <event type> (one of ping, push)",
      ),
    );
  });

  it("names the payload file when it is not what the connector reads", () => {
    expect(() => sampleEvents(byPath, Buffer.from("{ not json"), undefined, "e.json")).toThrow(UsageError);
    expect(() => sampleEvents(byPath, Buffer.from("{ not json"), undefined, "e.json")).toThrow(
      /^e\.json: the body is not JSON: /,
    );
    expect(() => sampleEvents(byPath, json({ id: "evt_1" }), undefined, "e.json")).toThrow(
      new UsageError("e.json: type is missing: pass --type <event type>"),
    );
  });
});
