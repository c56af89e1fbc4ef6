import { describe, expect, it } from "vitest";
import type { ConnectorSpec } from "../api/types.js";
import type { FlowOutput } from "../runtime/flows/compile-flows.js";
import { targetPreview } from "./target-preview.js";

const connector: ConnectorSpec = {
  displayName: "Tickets",
  category: "itops",
  version: "1.0.0",
  actions: [
    {
      name: "add-note",
      method: "POST",
      path: "/notes",
      inputSchema: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
    },
  ],
};
const output = (body: unknown): FlowOutput => ({
  body,
  idempotencyKey: "d-1:flow",
  cloudEvent: () =>
    Promise.resolve({
      specversion: "1.0",
      id: "d-1",
      source: "http://tickets.default.svc/webhook",
      type: "ticket.closed",
      time: "2026-11-25T10:00:00.000Z",
      datacontenttype: "application/json",
      data: body,
    }),
});
const now = new Date("2026-11-25T10:00:00Z");

describe("what a flow's target would receive", () => {
  it("gives an action its input, checked against the action's input schema", async () => {
    expect(await targetPreview({ action: "add-note" }, output({ text: "hi" }), connector, now)).toEqual({
      kind: "action",
      action: "add-note",
      input: { text: "hi" },
      idempotencyKey: "d-1:flow",
    });
    expect(await targetPreview({ action: "add-note" }, output({ text: 1 }), connector, now)).toMatchObject({
      problem: "input.text: must be string",
    });
    expect(await targetPreview({ action: "nope" }, output({}), connector, now)).toMatchObject({
      problem: 'the connector has no action "nope"',
    });
  });

  it("gives another Integration's action its input", async () => {
    expect(
      await targetPreview(
        { integration: { name: "inventory", action: "reserve" } },
        output({ sku: "a" }),
        connector,
        now,
      ),
    ).toEqual({
      kind: "integration",
      integration: "inventory",
      action: "reserve",
      input: { sku: "a" },
      idempotencyKey: "d-1:flow",
    });
  });

  it("gives a sink the request the runtime would send", async () => {
    expect(
      await targetPreview(
        { sink: { url: "https://audit.example.com/e", mode: "cloudevents-binary" } },
        output({ a: 1 }),
        connector,
        now,
      ),
    ).toEqual({
      kind: "sink",
      method: "POST",
      url: "https://audit.example.com/e",
      mode: "cloudevents-binary",
      headers: expect.objectContaining({ "ce-type": "ticket.closed", "content-type": "application/json" }),
      body: { a: 1 },
    });
  });

  it("says where a Standard Webhooks signature would come from, and fails without a secret", async () => {
    const preview = await targetPreview(
      {
        sink: {
          url: "https://hooks.example.com/",
          mode: "standard-webhooks",
          secretRef: { name: "hook", key: "k" },
        },
      },
      output({ a: 1 }),
      connector,
      now,
    );
    expect(preview).toMatchObject({
      headers: {
        "webhook-id": "d-1:flow",
        "webhook-timestamp": String(now.getTime() / 1000),
        "webhook-signature": "v1,<signed at delivery with key k of Secret hook>",
      },
    });
    await expect(
      targetPreview(
        { sink: { url: "https://hooks.example.com/", mode: "standard-webhooks" } },
        output({}),
        connector,
        now,
      ),
    ).rejects.toThrow("standard-webhooks needs secretRef");
  });
});
