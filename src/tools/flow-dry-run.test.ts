import { describe, expect, it } from "vitest";
import type { Flow, Integration } from "../api/types.js";
import { dryRunFlows } from "./flow-dry-run.js";
import type { KnownConnector } from "./known-connectors.js";

const connector: KnownConnector = {
  kind: "ClusterConnector",
  name: "tickets",
  namespace: undefined,
  file: "tickets.yaml",
  spec: {
    displayName: "Tickets",
    category: "itops",
    version: "1.0.0",
    events: [{ type: "ticket.created", schema: { type: "object", required: ["ticket"] } }],
    normalization: {
      cloudEvents: { typePrefix: "com.example.", subject: "ticket.id" },
      ocsf: [{ name: "tickets", events: ["ticket.*"], classUid: 2001, mapping: "{ 'title': ticket.id }" }],
    },
    actions: [
      {
        name: "add-note",
        method: "POST",
        path: "/notes",
        inputSchema: { type: "object", required: ["text"], properties: { text: { type: "string" } } },
      },
    ],
  },
};

const integration = (flows: Flow[]): Integration => ({
  apiVersion: "switchboard.dev/v1alpha1",
  kind: "Integration",
  metadata: { name: "support", namespace: "team-a" },
  spec: { connectorRef: { name: "tickets" }, config: { team: "blue" }, flows },
});

const closed = {
  type: "ticket.closed",
  deliveryId: "d-1",
  payload: { ticket: { id: "T-1", priority: "high", by: "ada" } },
};
const now = new Date("2026-11-25T10:00:00Z");

describe("dry-running an Integration's flows", () => {
  it("shows each step of a matching flow and what its target would receive", async () => {
    const [run] = await dryRunFlows({
      integration: integration([
        {
          name: "note",
          events: ["ticket.closed"],
          filter: "ticket.priority = 'high'",
          normalize: "ocsf",
          transform: "{ 'text': title & ' for ' & $config.team }",
          target: { action: "add-note" },
        },
        { name: "other", events: ["ticket.created"], target: { action: "add-note" } },
      ]),
      connector,
      events: [closed],
      now,
    });
    expect(run).toEqual({
      type: "ticket.closed",
      deliveryId: "d-1",
      flows: [
        {
          flow: "note",
          events: ["ticket.closed"],
          matched: true,
          filter: { expression: "ticket.priority = 'high'", result: true, passed: true },
          normalized: { as: "ocsf", value: { class_uid: 2001, title: "T-1" } },
          transformed: { text: "T-1 for blue" },
          target: {
            kind: "action",
            action: "add-note",
            input: { text: "T-1 for blue" },
            idempotencyKey: "d-1:note",
          },
        },
        { flow: "other", events: ["ticket.created"], matched: false },
      ],
    });
  });

  it("builds the CloudEvent as the runtime does, from the Integration's Service", async () => {
    const [run] = await dryRunFlows({
      integration: integration([
        {
          name: "audit",
          events: ["*"],
          normalize: "cloudevents",
          target: { sink: { url: "https://audit.example.com/" } },
        },
      ]),
      connector,
      events: [closed],
      now,
    });
    expect(run?.flows[0]?.normalized).toEqual({
      as: "cloudevents",
      value: {
        specversion: "1.0",
        id: "d-1",
        source: "http://support.team-a.svc/webhook",
        type: "com.example.ticket.closed",
        subject: "T-1",
        time: "2026-11-25T10:00:00.000Z",
        datacontenttype: "application/json",
        data: closed.payload,
      },
    });
    expect(run?.flows[0]?.target).toMatchObject({
      kind: "sink",
      url: "https://audit.example.com/",
      mode: "json",
    });
  });

  it("shows a filter that drops the event, and nothing after it", async () => {
    const [run] = await dryRunFlows({
      integration: integration([
        { name: "low", events: ["*"], filter: "ticket.priority = 'low'", target: { action: "add-note" } },
      ]),
      connector,
      events: [closed],
      now,
    });
    expect(run?.flows).toEqual([
      {
        flow: "low",
        events: ["*"],
        matched: true,
        filter: { expression: "ticket.priority = 'low'", result: false, passed: false },
      },
    ]);
  });

  it("reports what would fail: a transform error, an input the action refuses, an event the schema refuses", async () => {
    const runs = await dryRunFlows({
      integration: integration([
        { name: "boom", events: ["*"], transform: "$error('no way')", target: { action: "add-note" } },
        { name: "bad-input", events: ["*"], transform: "{ 'text': 1 }", target: { action: "add-note" } },
      ]),
      connector,
      events: [closed, { type: "ticket.created", deliveryId: "d-2", payload: { id: 1 } }],
      now,
    });
    expect(runs[0]?.flows[0]?.error).toBe("no way");
    expect(runs[0]?.flows[1]?.target).toMatchObject({ problem: "input.text: must be string" });
    expect(runs[1]).toEqual({
      type: "ticket.created",
      deliveryId: "d-2",
      rejected: "event ticket.created: payload.ticket is required",
      flows: [],
    });
  });

  it("refuses flows that do not compile, in the runtime's words", async () => {
    await expect(
      dryRunFlows({
        integration: integration([
          { name: "x", events: ["*"], filter: "a = ", target: { action: "add-note" } },
        ]),
        connector,
        events: [closed],
      }),
    ).rejects.toThrow(/^flow "x": filter does not compile at position \d+/);
  });
});
