import { describe, expect, it } from "vitest";
import type { ConnectorSpec, Flow, Integration } from "../api/types.js";
import { flowProblems } from "./flow-problems.js";

const connector: ConnectorSpec = {
  displayName: "Tickets",
  category: "itops",
  version: "1.0.0",
  actions: [{ name: "add-note", method: "POST", path: "/notes" }],
  normalization: { cloudEvents: { subject: "ticket.id" } },
};

const integration = (flows: Flow[]): Integration => ({
  apiVersion: "switchboard.dev/v1alpha1",
  kind: "Integration",
  metadata: { name: "tickets", namespace: "default" },
  spec: { connectorRef: { name: "tickets" }, flows },
});

const check = (flows: Flow[], spec: ConnectorSpec = connector) =>
  flowProblems(integration(flows), spec, 'ClusterConnector "tickets"');

describe("an Integration's flows against its connector", () => {
  it("accepts flows whose expressions compile and whose targets exist", () => {
    expect(
      check([
        {
          name: "notes",
          events: ["ticket.*"],
          filter: "ticket.priority = 'high'",
          transform: "{ 'text': ticket.id }",
          idempotencyKey: "ticket.id",
          target: { action: "add-note" },
        },
        { name: "sink", events: ["*"], normalize: "cloudevents", target: { sink: { url: "https://a.b" } } },
      ]),
    ).toEqual([]);
  });

  it("reports every expression that does not compile at its field, in the runtime's words", () => {
    const problems = check([
      { name: "ok", events: ["*"], filter: "true", target: { action: "add-note" } },
      {
        name: "broken",
        events: ["*"],
        filter: "ticket.priority = ",
        transform: "{ 'a': ",
        target: { action: "add-note" },
      },
    ]);
    expect(problems.map((p) => p.path)).toEqual(["spec.flows[1].filter", "spec.flows[1].transform"]);
    expect(problems[0]?.message).toMatch(/^flow "broken": filter does not compile at position \d+: /);
    expect(problems[1]?.message).toMatch(/^flow "broken": transform does not compile/);
  });

  it("reports a target action the connector does not have, naming those it has", () => {
    expect(check([{ name: "a", events: ["*"], target: { action: "add-nope" } }])).toEqual([
      {
        path: "spec.flows[0].target.action",
        message: '"add-nope" is not an action of ClusterConnector "tickets" (its actions: add-note)',
      },
    ]);
  });

  it("reports OCSF normalization without mappings, and a connector normalization that does not compile once", () => {
    expect(check([{ name: "a", events: ["*"], normalize: "ocsf", target: { action: "add-note" } }])).toEqual([
      {
        path: "spec.flows[0].normalize",
        message: 'ocsf needs the connector\'s OCSF mappings and ClusterConnector "tickets" has none',
      },
    ]);
    const broken = { ...connector, normalization: { cloudEvents: { subject: "ticket.(" } } };
    const problems = check(
      [
        { name: "a", events: ["*"], filter: "x", target: { action: "add-note" } },
        { name: "b", events: ["*"], filter: "y", target: { action: "add-note" } },
      ],
      broken,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ path: "spec.connectorRef" });
    expect(problems[0]?.message).toMatch(
      /^ClusterConnector "tickets": connector normalization.cloudEvents.subject does not compile/,
    );
  });
});
