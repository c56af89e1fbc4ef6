import { describe, expect, it } from "vitest";
import type { DryRunReport } from "./dry-run-report.js";
import { dryRunJson, dryRunSummary, dryRunText } from "./dry-run-report.js";
import type { EventRun } from "./flow-dry-run.js";

const runs: EventRun[] = [
  {
    type: "ticket.closed",
    deliveryId: "d-1",
    flows: [
      {
        flow: "note",
        events: ["ticket.closed"],
        matched: true,
        filter: { expression: "ticket.priority = 'high'", result: true, passed: true },
        transformed: { text: "hi" },
        target: { kind: "action", action: "add-note", input: { text: "hi" }, idempotencyKey: "d-1:note" },
      },
      {
        flow: "low",
        events: ["*"],
        matched: true,
        filter: { expression: "low", result: undefined, passed: false },
      },
      {
        flow: "audit",
        events: ["*"],
        matched: true,
        target: {
          kind: "sink",
          method: "POST",
          url: "https://audit.example.com/",
          mode: "json",
          headers: { "content-type": "application/json" },
          body: { a: 1 },
        },
      },
      { flow: "created", events: ["ticket.created"], matched: false },
    ],
  },
  { type: "ticket.created", rejected: "event ticket.created: payload.ticket is required", flows: [] },
  {
    type: "ping",
    flows: [
      { flow: "boom", events: ["*"], matched: true, error: "no way" },
      {
        flow: "refused",
        events: ["*"],
        matched: true,
        target: { kind: "action", action: "add-note", input: {}, idempotencyKey: "k", problem: "input: bad" },
      },
    ],
  },
];

const report = (runs: EventRun[], notes: string[] = []): DryRunReport => ({
  integration: {
    apiVersion: "switchboard.dev/v1alpha1",
    kind: "Integration",
    metadata: { name: "support", namespace: "team-a" },
    spec: { connectorRef: { name: "tickets" } },
  },
  connector: {
    kind: "ClusterConnector",
    name: "tickets",
    namespace: undefined,
    file: "tickets.yaml",
    spec: { displayName: "Tickets", category: "itops", version: "1.2.0" },
  },
  notes,
  runs,
});

describe("the dry run's report", () => {
  it("counts deliveries, filtered, unmatched and failures (flows and refused events)", () => {
    expect(dryRunSummary(runs)).toEqual({ delivered: 2, filtered: 1, unmatched: 1, failed: 3 });
    expect(dryRunSummary([])).toEqual({ delivered: 0, filtered: 0, unmatched: 0, failed: 0 });
  });

  it("shows each event and flow step by step", () => {
    const text = dryRunText(report(runs, ["a note"]));
    expect(text).toContain(
      'Integration team-a/support with ClusterConnector "tickets" 1.2.0 (tickets.yaml)\nnote: a note\n\nevent ticket.closed (delivery d-1)\n',
    );
    expect(text).toContain(
      [
        "  flow note: matched (ticket.closed)",
        "    filter: ticket.priority = 'high' → true",
        "    transformed:",
        "      {",
        '        "text": "hi"',
        "      }",
        "    → action add-note, idempotency key d-1:note, input:",
      ].join("\n"),
    );
    expect(text).toContain("    filter: low → undefined: filtered out");
    expect(text).toContain(
      "    → sink POST https://audit.example.com/ (json)\n      headers:\n        content-type: application/json\n      body:\n",
    );
    expect(text).toContain("  flow created: not matched (ticket.created)");
    expect(text).toContain(
      "  rejected: event ticket.created: payload.ticket is required (the runtime answers 400",
    );
    expect(text).toContain("    error: no way");
    expect(text).toContain("    error: input: bad (the action refuses it: a dead letter)");
    expect(text.endsWith("2 would deliver, 1 filtered out, 1 not matched, 3 failed")).toBe(true);
  });

  it("says when no flow matches an event", () => {
    expect(
      dryRunText(report([{ type: "push", flows: [{ flow: "a", events: ["issues.*"], matched: false }] }])),
    ).toContain("  no flow matches this event type: the runtime acknowledges it and delivers nothing");
  });

  it("gives the same as JSON, with what ran and the summary", () => {
    expect(JSON.parse(dryRunJson(report(runs, ["a note"])))).toEqual({
      integration: "team-a/support",
      connector: { kind: "ClusterConnector", name: "tickets", version: "1.2.0", file: "tickets.yaml" },
      notes: ["a note"],
      events: JSON.parse(JSON.stringify(runs)),
      summary: { delivered: 2, filtered: 1, unmatched: 1, failed: 3 },
    });
  });
});
