import { describe, expect, it } from "vitest";
import { LineCounter, parseDocument } from "yaml";
import { fieldPosition } from "./field-position.js";

const source = `# an Integration
apiVersion: switchboard.dev/v1alpha1
kind: Integration
metadata:
  name: tickets
  labels:
    switchboard.dev/owner: support
spec:
  connectorRef: { name: example-webhooks }
  flows:
    - name: note
      events: ["ticket.closed"]
      target:
        action: add-nope
`;

function locate(path: string, text = source) {
  const lineCounter = new LineCounter();
  return fieldPosition(parseDocument(text, { lineCounter }), lineCounter, path);
}

describe("where a field is in the YAML source", () => {
  it("finds a mapping key, through sequences and flow mappings", () => {
    expect(locate("spec.flows[0].target.action")).toEqual({ line: 14, column: 9 });
    expect(locate("spec.flows[0].events[0]")).toEqual({ line: 12, column: 16 });
    expect(locate("spec.connectorRef.name")).toEqual({ line: 9, column: 19 });
    expect(locate("spec.flows[0]")).toEqual({ line: 11, column: 7 });
  });

  it("joins keys with dots in them back together", () => {
    expect(locate("metadata.labels.switchboard.dev/owner")).toEqual({ line: 7, column: 5 });
  });

  it("falls back to the nearest parent the source has, and the document for the object itself", () => {
    expect(locate("spec.flows[0].target.action.name")).toEqual({ line: 14, column: 9 });
    expect(locate("spec.connectorRef.version")).toEqual({ line: 9, column: 3 });
    expect(locate("spec.flows[3].name")).toEqual({ line: 10, column: 3 });
    expect(locate("spec.credentialRef")).toEqual({ line: 8, column: 1 });
    expect(locate("")).toEqual({ line: 2, column: 1 });
  });

  it("finds fields in JSON", () => {
    const json = '{\n  "kind": "Integration",\n  "spec": {\n    "flows": [{ "name": "a" }]\n  }\n}\n';
    expect(locate("spec.flows[0].name", json)).toEqual({ line: 4, column: 17 });
  });
});
