import { describe, expect, it } from "vitest";
import type { FieldsV1 } from "../types.js";
import { FieldSet } from "./field-set.js";

/*
 * fieldsV1 as kube-apiserver writes it, compact JSON byte for byte, for objects made the usual ways:
 * `kubectl create deployment nginx --image=nginx`, the deployment controller's status and revision
 * annotation, and `kubectl apply` (client-side) of a Service with two ports.
 */
const samples: Record<string, string> = {
  "kubectl-create Deployment": String.raw`{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}`,
  "kube-controller-manager Deployment status": String.raw`{"f:status":{"f:availableReplicas":{},"f:conditions":{".":{},"k:{\"type\":\"Available\"}":{".":{},"f:lastTransitionTime":{},"f:lastUpdateTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}},"k:{\"type\":\"Progressing\"}":{".":{},"f:lastTransitionTime":{},"f:lastUpdateTime":{},"f:message":{},"f:reason":{},"f:status":{},"f:type":{}}},"f:observedGeneration":{},"f:readyReplicas":{},"f:replicas":{},"f:updatedReplicas":{}}}`,
  "kube-controller-manager revision annotation": String.raw`{"f:metadata":{"f:annotations":{".":{},"f:deployment.kubernetes.io/revision":{}}}}`,
  "kubectl-client-side-apply Service": String.raw`{"f:metadata":{"f:annotations":{".":{},"f:kubectl.kubernetes.io/last-applied-configuration":{}}},"f:spec":{"f:internalTrafficPolicy":{},"f:ports":{".":{},"k:{\"port\":80,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{},"f:protocol":{},"f:targetPort":{}},"k:{\"port\":443,\"protocol\":\"TCP\"}":{".":{},"f:name":{},"f:port":{},"f:protocol":{},"f:targetPort":{}}},"f:selector":{},"f:sessionAffinity":{},"f:type":{}}}`,
  "finalizers set": String.raw`{"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/a\"":{},"v:\"example.com/b\"":{}}}}`,
};

const paths = (...list: string[][]): FieldSet => FieldSet.fromPaths(list);

describe("fieldsV1 (sigs.k8s.io/structured-merge-diff fieldpath serialization)", () => {
  it.each(Object.entries(samples))("reads and writes %s exactly as kube-apiserver does", (_name, text) => {
    const set = FieldSet.fromFieldsV1(JSON.parse(text) as FieldsV1);
    expect(JSON.stringify(set.toFieldsV1())).toBe(text);
  });

  it.each([
    ["fields by name, byte order", [["f:b"], ["f:a"], ["f:B"]], ["f:B", "f:a", "f:b"]],
    [
      "keys by value, numbers numerically",
      [['k:{"port":10}'], ['k:{"port":9}']],
      ['k:{"port":9}', 'k:{"port":10}'],
    ],
    ["numbers before strings before booleans", [["v:true"], ['v:"a"'], ["v:2"]], ["v:2", 'v:"a"', "v:true"]],
    [
      "fields, then keys, then values, then indexes",
      [["i:0"], ['v:"x"'], ['k:{"a":1}'], ["f:z"]],
      ["f:z", 'k:{"a":1}', 'v:"x"', "i:0"],
    ],
  ])("orders elements as PathElement.Compare: %s", (_what, input, expected) => {
    expect(Object.keys(paths(...input).toFieldsV1())).toEqual(expected);
  });

  it("marks an element that is owned and has owned children with `.`, first", () => {
    const set = paths(["f:spec", 'k:{"name":"a"}'], ["f:spec", 'k:{"name":"a"}', "f:image"]);
    expect(JSON.stringify(set.toFieldsV1())).toBe(
      String.raw`{"f:spec":{"k:{\"name\":\"a\"}":{".":{},"f:image":{}}}}`,
    );
  });

  it("rewrites client-written keys canonically: key fields sorted, kube's JSON encoding", () => {
    const set = FieldSet.fromFieldsV1({ "f:ports": { 'k:{ "protocol": "TCP", "port": 80.0 }': {} } });
    expect(Object.keys(set.toFieldsV1()["f:ports"] ?? {})).toEqual(['k:{"port":80,"protocol":"TCP"}']);
  });

  it("drops elements of a kind it does not know, as kube does, and refuses malformed ones", () => {
    expect(FieldSet.fromFieldsV1({ "x:future": {}, "f:a": {} }).toFieldsV1()).toEqual({ "f:a": {} });
    expect(() => FieldSet.fromFieldsV1({ "k:{not json": {} })).toThrow();
    expect(() => FieldSet.fromFieldsV1({ nocolon: {} })).toThrow(/missing colon/);
  });
});

describe("field set operations (fieldpath.Set)", () => {
  const a = paths(["f:spec", "f:a"], ["f:spec", "f:b"], ["f:meta"]);
  const b = paths(["f:spec", "f:b"], ["f:spec", "f:c"]);

  it.each([
    ["union", a.union(b), [["f:meta"], ["f:spec", "f:a"], ["f:spec", "f:b"], ["f:spec", "f:c"]]],
    ["intersection", a.intersection(b), [["f:spec", "f:b"]]],
    ["difference", a.difference(b), [["f:meta"], ["f:spec", "f:a"]]],
    [
      "difference leaves children of a removed parent",
      paths(["f:x", "f:y"]).difference(paths(["f:x"])),
      [["f:x", "f:y"]],
    ],
    [
      "recursive difference removes them",
      paths(["f:x", "f:y"], ["f:z"]).recursiveDifference(paths(["f:x"])),
      [["f:z"]],
    ],
    ["leaves", paths(["f:l"], ["f:l", "f:m"], ["f:n"]).leaves(), [["f:n"], ["f:l", "f:m"]]],
  ])("%s", (_op, result, expected) => {
    expect([...result.paths()]).toEqual(expected);
  });

  it("is empty after removing everything, and answers membership by whole path", () => {
    expect(a.difference(a).isEmpty()).toBe(true);
    expect(FieldSet.empty.isEmpty()).toBe(true);
    expect(a.has(["f:spec", "f:a"])).toBe(true);
    expect(a.has(["f:spec"])).toBe(false);
    expect(a.has([])).toBe(false);
    expect(b.isSubsetOf(a.union(b))).toBe(true);
    expect(a.isSubsetOf(b)).toBe(false);
    expect(a.equals(paths(["f:meta"], ["f:spec", "f:b"], ["f:spec", "f:a"]))).toBe(true);
  });

  it("is not equal to a set that extends it below the top level", () => {
    const ready = paths(["f:status", "f:conditions", 'k:{"type":"Ready"}']);
    const readyAndStalled = ready.union(paths(["f:status", "f:conditions", 'k:{"type":"Stalled"}']));
    expect(ready.equals(readyAndStalled)).toBe(false);
    expect(readyAndStalled.equals(ready)).toBe(false);
  });
});
