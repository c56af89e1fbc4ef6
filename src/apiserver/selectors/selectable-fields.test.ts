import { describe, expect, it } from "vitest";
import {
  builtinSelectableFields,
  compileFieldSelector,
  customResourceSelectableFields,
  type SelectableFields,
} from "./selectable-fields.js";

const configMaps = builtinSelectableFields("", "ConfigMap");
const secrets = builtinSelectableFields("", "Secret");
const namespaces = builtinSelectableFields("", "Namespace");
const coreEvents = builtinSelectableFields("", "Event");
const events = builtinSelectableFields("events.k8s.io", "Event");
const jobs = builtinSelectableFields("batch", "Job");
const widgets = customResourceSelectableFields(true, [
  { jsonPath: ".spec.color" },
  { jsonPath: ".spec.replicas" },
]);
const clusterWidgets = customResourceSelectableFields(false);

describe("field labels each kind accepts (its field label conversion function)", () => {
  it.each<[string, SelectableFields, string]>([
    ["every kind: metadata.name", configMaps, "metadata.name=a"],
    ["every namespaced kind: metadata.namespace", configMaps, "metadata.namespace=a"],
    [
      "default conversion accepts metadata.namespace",
      builtinSelectableFields("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
      "metadata.namespace=",
    ],
    ["Secrets: type", secrets, "type=Opaque"],
    ["Namespaces: status.phase", namespaces, "status.phase=Active"],
    [
      "core Events: every involvedObject field",
      coreEvents,
      "involvedObject.kind=Pod,involvedObject.namespace=a,involvedObject.name=b,involvedObject.uid=c,involvedObject.apiVersion=v1,involvedObject.resourceVersion=1,involvedObject.fieldPath=spec",
    ],
    [
      "core Events: reason, reportingComponent, source, type",
      coreEvents,
      "reason=a,reportingComponent=b,source=c,type=Normal",
    ],
    [
      "events.k8s.io Events: regarding.*",
      events,
      "regarding.kind=Pod,regarding.namespace=a,regarding.name=b,regarding.uid=c,regarding.apiVersion=v1,regarding.resourceVersion=1,regarding.fieldPath=spec",
    ],
    [
      "events.k8s.io Events: reason, reportingController, source, type",
      events,
      "reason=a,reportingController=b,source=c,type=Warning",
    ],
    ["Jobs: status.successful", jobs, "status.successful=1"],
    [
      "custom resources: the CRD's selectableFields",
      widgets,
      "spec.color=red,spec.replicas=3,metadata.namespace=a",
    ],
    ["Pods: spec.host for old clients", builtinSelectableFields("", "Pod"), "spec.host=node-1"],
  ])("%s", (_behaviour, fields, selector) => {
    expect(() => compileFieldSelector(selector, fields)).not.toThrow();
  });

  it.each<[string, SelectableFields, string, string]>([
    [
      "kinds without a conversion function (DefaultMetaV1FieldSelectorConversion)",
      configMaps,
      "spec.foo=1",
      '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
    ],
    ["Secrets", secrets, "spec.foo=1", "field label not supported: spec.foo"],
    [
      "Namespaces refuse metadata.namespace",
      namespaces,
      "metadata.namespace=a",
      "field label not supported: metadata.namespace",
    ],
    [
      "core Events refuse the events.k8s.io names",
      coreEvents,
      "regarding.name=a",
      "field label not supported: regarding.name",
    ],
    [
      "events.k8s.io Events refuse the core names",
      events,
      "involvedObject.name=a",
      "field label not supported: involvedObject.name",
    ],
    ["Jobs, in their own words", jobs, "spec.foo=1", 'field label "spec.foo" not supported for Job'],
    [
      "custom resources: anything outside selectableFields",
      widgets,
      "spec.size=1",
      "field label not supported: spec.size",
    ],
    [
      "cluster-scoped custom resources refuse metadata.namespace",
      clusterWidgets,
      "metadata.namespace=a",
      "field label not supported: metadata.namespace",
    ],
    ["untrimmed labels are other labels", secrets, "type = Opaque", "field label not supported: type "],
    ["a prototype member is no label", secrets, "constructor=1", "field label not supported: constructor"],
    ["the first refused label in sort order", secrets, "z=1,b=2,type=x", "field label not supported: b"],
  ])("refuses for %s: %j with a 400", (_behaviour, fields, selector, message) => {
    let thrown: unknown;
    try {
      compileFieldSelector(selector, fields);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 400, reason: "BadRequest", message });
  });

  it("a parse error comes before any label check, as ParseSelector runs before Transform", () => {
    expect(() => compileFieldSelector("spec.foo=1,bad", secrets)).toThrow(
      "invalid selector: 'spec.foo=1,bad'; can't understand 'bad'",
    );
  });
});

describe("field values each kind's field set gives", () => {
  const event = {
    metadata: { name: "e1", namespace: "default" },
    involvedObject: { kind: "Integration", name: "github", namespace: "default" },
    reason: "Delivered",
    type: "Normal",
    reportingController: "switchboard.dev/operator",
  };

  it.each<[string, SelectableFields, string, unknown, boolean]>([
    ["Secret type", secrets, "type=kubernetes.io/tls", { type: "kubernetes.io/tls" }, true],
    ["metadata.name", configMaps, "metadata.name=a", { metadata: { name: "a" } }, true],
    ["a missing field reads as empty (!= matches)", secrets, "type!=Opaque", { metadata: {} }, true],
    ["core Event involvedObject.name", coreEvents, "involvedObject.name=github", event, true],
    [
      "core Event source falls back to reportingController",
      coreEvents,
      "source=switchboard.dev/operator",
      event,
      true,
    ],
    [
      "core Event source prefers source.component",
      coreEvents,
      "source=kubelet",
      { ...event, source: { component: "kubelet" } },
      true,
    ],
    [
      "core Event reportingComponent is reportingController",
      coreEvents,
      "reportingComponent=switchboard.dev/operator",
      event,
      true,
    ],
    [
      "events.k8s.io regarding.name reads the stored involvedObject",
      events,
      "regarding.name=github",
      event,
      true,
    ],
    [
      "events.k8s.io reportingController reads the stored reportingController",
      events,
      "reportingController=switchboard.dev/operator",
      event,
      true,
    ],
    [
      "Job status.successful reads status.succeeded",
      jobs,
      "status.successful=2",
      { status: { succeeded: 2 } },
      true,
    ],
    [
      "Job status.successful of a new Job is 0, as Itoa of the zero value",
      jobs,
      "status.successful=0",
      { status: {} },
      true,
    ],
    ["custom resource string field", widgets, "spec.color=red", { spec: { color: "red" } }, true],
    [
      "custom resource integer field, in decimal",
      widgets,
      "spec.replicas=3",
      { spec: { replicas: 3 } },
      true,
    ],
    [
      "custom resource structured value reads as empty",
      widgets,
      "spec.color=",
      { spec: { color: { r: 1 } } },
      true,
    ],
  ])("%s", (_behaviour, fields, selector, object, expected) => {
    expect(compileFieldSelector(selector, fields).matches(object)).toBe(expected);
  });

  it("converts events.k8s.io labels to the core field names it selects", () => {
    expect(compileFieldSelector("regarding.name=a,reportingController=b", events).requirements).toEqual([
      { field: "involvedObject.name", operator: "=", value: "a" },
      { field: "reportingComponent", operator: "=", value: "b" },
    ]);
  });
});
