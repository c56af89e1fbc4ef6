import { describe, expect, it } from "vitest";
import { manifestProblems } from "./manifest-problems.js";

const check = (object: unknown) => manifestProblems(object, [], { catalog: false });

describe("the problems of one object", () => {
  it("skips kinds that are not Switchboard's, but not objects without apiVersion or kind", () => {
    expect(check({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, anything: 1 })).toEqual([]);
    expect(check({ apiVersion: "apps/v1", kind: "Deployment" })).toEqual([]);
    expect(check({ metadata: { name: "x" } })).toEqual([
      { path: "apiVersion", message: "required field is missing" },
      { path: "kind", message: "required field is missing" },
    ]);
    expect(check(["a"])).toEqual([
      { path: "", message: "not a Kubernetes object: a mapping with apiVersion, kind and metadata" },
    ]);
  });

  it("validates Switchboard kinds against their schema, naming each field", () => {
    expect(
      check({
        apiVersion: "switchboard.dev/v1alpha1",
        kind: "Credential",
        metadata: { name: "x" },
        spec: { type: "bearer", secretRef: { name: "s" }, extra: true },
      }),
    ).toEqual([{ path: "spec.extra", message: "unknown field" }]);
    expect(check({ apiVersion: "switchboard.dev/v1", kind: "Integration", metadata: { name: "x" } })).toEqual(
      [
        {
          path: "apiVersion",
          message:
            "switchboard.dev/v1/Integration: switchboard.dev/v1 is not served; Switchboard kinds are in switchboard.dev/v1alpha1",
        },
      ],
    );
  });

  it("runs the operator's checks on connectors", () => {
    expect(
      check({
        apiVersion: "switchboard.dev/v1alpha1",
        kind: "ClusterConnector",
        metadata: { name: "x" },
        spec: {
          displayName: "X",
          category: "itops",
          version: "1.0.0",
          baseURL: "https://api.example.com",
          actions: [{ name: "a", method: "POST", path: "/", body: "{ 'x': " }],
        },
      }),
    ).toEqual([
      {
        path: "spec.actions[0].body",
        message: expect.stringMatching(/^the JSONata expression does not compile: /),
      },
    ]);
  });

  it("checks an Integration against its connector", () => {
    expect(
      check({
        apiVersion: "switchboard.dev/v1alpha1",
        kind: "Integration",
        metadata: { name: "x" },
        spec: { connectorRef: { name: "nowhere" } },
      }),
    ).toEqual([expect.objectContaining({ path: "spec.connectorRef.name" })]);
  });
});
