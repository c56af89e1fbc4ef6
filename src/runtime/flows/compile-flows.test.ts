import { describe, expect, it } from "vitest";
import type { ConnectorSpec, IntegrationSpec } from "../../api/types.js";
import { cloudEventRequest } from "./cloud-event.js";
import { compileFlows, flowContext } from "./compile-flows.js";

const connector: ConnectorSpec = {
  displayName: "GitHub",
  category: "itops",
  version: "1.0.0",
  normalization: {
    cloudEvents: { typePrefix: "com.github.", subject: "repository.full_name" },
    ocsf: [
      {
        name: "alerts",
        events: ["code_scanning_alert.*"],
        classUid: 2001,
        mapping: "{ 'finding_info': { 'title': alert.rule.description }, 'severity': alert.rule.severity }",
      },
    ],
  },
};
const context = {
  namespace: "team-a",
  integration: "github",
  webhookURL: "http://github.team-a.svc/webhook",
  config: { org: "acme" },
};
const event = (type: string, payload: unknown) => ({
  type,
  deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  payload,
  receivedAt: new Date("2026-11-25T10:00:00Z"),
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
});
const spec = (flows: IntegrationSpec["flows"]): IntegrationSpec => ({
  connectorRef: { name: "github" },
  flows,
});

describe("flows", () => {
  it("refuses an expression that does not compile, naming the flow, the part and the position", () => {
    expect(() =>
      compileFlows(
        spec([{ name: "broken", events: ["*"], filter: "issue.state = ", target: { action: "x" } }]),
        connector,
        context,
      ),
    ).toThrow(/^flow "broken": filter does not compile at position \d+: /);
  });

  it("matches event types by glob, filters, and transforms with the config bound as $config", async () => {
    const [flow] = compileFlows(
      spec([
        {
          name: "opened",
          events: ["issues.*", "pull_request.opened"],
          filter: "issue.state = 'open'",
          transform: "{ 'title': $config.org & ': ' & issue.title }",
          target: { action: "create-ticket" },
        },
      ]),
      connector,
      context,
    );
    expect(["issues.opened", "issues.closed", "pull_request.opened"].map((t) => flow?.matches(t))).toEqual([
      true,
      true,
      true,
    ]);
    expect(flow?.matches("push")).toBe(false);
    expect(
      await flow?.run(event("issues.closed", { issue: { state: "closed", title: "x" } })),
    ).toBeUndefined();
    const output = await flow?.run(
      event("issues.opened", { issue: { state: "open", title: "Broken build" } }),
    );
    expect(output?.body).toEqual({ title: "acme: Broken build" });
    expect(output?.idempotencyKey).toBe("72d3162e-cc78-11e3-81ab-4c9367dc0958:opened");
  });

  it("normalizes to a CloudEvent with the connector's type prefix and subject, carrying traceparent", async () => {
    const [flow] = compileFlows(
      spec([
        { name: "all", events: ["*"], normalize: "cloudevents", target: { sink: { url: "https://sink" } } },
      ]),
      connector,
      context,
    );
    const output = await flow?.run(
      event("push", { repository: { full_name: "acme/api" }, ref: "refs/heads/main" }),
    );
    expect(output?.body).toEqual({
      specversion: "1.0",
      id: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      source: "http://github.team-a.svc/webhook",
      type: "com.github.push",
      subject: "acme/api",
      time: "2026-11-25T10:00:00.000Z",
      datacontenttype: "application/json",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      data: { repository: { full_name: "acme/api" }, ref: "refs/heads/main" },
    });
  });

  it("maps security events to their OCSF class", async () => {
    const [flow] = compileFlows(
      spec([
        { name: "findings", events: ["code_scanning_alert.*"], normalize: "ocsf", target: { action: "x" } },
      ]),
      connector,
      context,
    );
    const output = await flow?.run(
      event("code_scanning_alert.created", {
        alert: { rule: { description: "SQL injection", severity: "high" } },
      }),
    );
    expect(output?.body).toEqual({
      class_uid: 2001,
      finding_info: { title: "SQL injection" },
      severity: "high",
    });
  });

  it("writes CloudEvents in both HTTP modes, percent-encoding binary headers as the binding requires", async () => {
    const [flow] = compileFlows(
      spec([
        { name: "all", events: ["*"], normalize: "cloudevents", target: { sink: { url: "https://sink" } } },
      ]),
      connector,
      context,
    );
    const output = await flow?.run(event("push", { repository: { full_name: "acme/ü space" } }));
    const structured = cloudEventRequest(await output!.cloudEvent(), "structured");
    expect(structured.headers["content-type"]).toBe("application/cloudevents+json; charset=utf-8");
    expect(JSON.parse(structured.body)).toMatchObject({ specversion: "1.0", type: "com.github.push" });
    const binary = cloudEventRequest(await output!.cloudEvent(), "binary");
    expect(binary.headers).toMatchObject({
      "content-type": "application/json",
      "ce-specversion": "1.0",
      "ce-type": "com.github.push",
      "ce-source": "http://github.team-a.svc/webhook",
      "ce-subject": "acme/%C3%BC%20space",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    });
    expect(JSON.parse(binary.body)).toEqual({ repository: { full_name: "acme/ü space" } });
  });
  it("tells an observer each step: the filter's value, the normalized event, the transform's output", async () => {
    const [flow] = compileFlows(
      spec([
        {
          name: "alerts",
          events: ["code_scanning_alert.*"],
          filter: "alert.rule.severity",
          normalize: "ocsf",
          transform: "{ 'title': finding_info.title }",
          target: { action: "x" },
        },
      ]),
      connector,
      context,
    );
    const steps: unknown[] = [];
    const output = await flow?.run(
      event("code_scanning_alert.created", {
        alert: { rule: { description: "SQL injection", severity: "high" } },
      }),
      {
        filtered: (result, passed) => steps.push(["filter", result, passed]),
        normalized: (value) => steps.push(["normalized", value]),
        transformed: (value) => steps.push(["transformed", value]),
      },
    );
    expect(steps).toEqual([
      ["filter", "high", true],
      ["normalized", { class_uid: 2001, finding_info: { title: "SQL injection" }, severity: "high" }],
      ["transformed", { title: "SQL injection" }],
    ]);
    expect(output?.body).toEqual({ title: "SQL injection" });
    const dropped: unknown[] = [];
    expect(
      await flow?.run(event("code_scanning_alert.created", { alert: { rule: {} } }), {
        filtered: (result, passed) => dropped.push([result, passed]),
        normalized: () => dropped.push("normalized"),
      }),
    ).toBeUndefined();
    expect(dropped).toEqual([[undefined, false]]);
  });

  it("gives flows the context of the Integration's runtime: its Service's webhook URL and its config", () => {
    expect(
      flowContext({
        namespace: "team-a",
        name: "github",
        spec: { connectorRef: { name: "github" }, webhook: { path: "/hooks" }, config: { org: "acme" } },
      }),
    ).toEqual({
      namespace: "team-a",
      integration: "github",
      webhookURL: "http://github.team-a.svc/hooks",
      config: { org: "acme" },
    });
    expect(flowContext({ namespace: "a", name: "b", spec: { connectorRef: { name: "c" } } })).toMatchObject({
      webhookURL: "http://b.a.svc/webhook",
      config: {},
    });
  });
});
