import { CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedApiServer } from "../../apiserver/embedded-api-server.js";
import type { KubeObject } from "../../apiserver/types.js";
import { KubeClient } from "../kube/kube-client.js";
import { EventRecorder } from "./event-recorder.js";

describe("EventRecorder", () => {
  const server = new EmbeddedApiServer();
  let recorder: EventRecorder;
  let core: CoreV1Api;
  let subject: KubeObject;
  beforeAll(async () => {
    const running = await server.start();
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(running.kubeconfig);
    core = kubeConfig.makeApiClient(CoreV1Api);
    recorder = new EventRecorder({
      client: new KubeClient(kubeConfig),
      component: "switchboard-operator",
      instance: "operator-0",
      log: pino({ level: "silent" }),
    });
    const created = await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "subject" } },
    });
    subject = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "subject", namespace: "default", uid: created.metadata?.uid ?? "" },
    };
  });
  afterAll(() => server.stop());

  it("creates an Event kubectl shows, with the object, source and timestamps", async () => {
    await recorder.record(subject, "Normal", "Ready", "all owned objects are up to date");
    const events = await core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: "involvedObject.name=subject,reason=Ready",
    });
    expect(events.items).toHaveLength(1);
    expect(events.items[0]).toMatchObject({
      type: "Normal",
      reason: "Ready",
      message: "all owned objects are up to date",
      count: 1,
      involvedObject: { kind: "ConfigMap", name: "subject", uid: subject.metadata.uid },
      source: { component: "switchboard-operator" },
      reportingComponent: "switchboard-operator",
    });
  });

  it("de-duplicates a repeated event into one with a growing count", async () => {
    for (let i = 0; i < 3; i++)
      await recorder.record(
        subject,
        "Warning",
        "CredentialNotFound",
        'Credential "missing" not found: create it',
      );
    const events = await core.listNamespacedEvent({
      namespace: "default",
      fieldSelector: "reason=CredentialNotFound",
    });
    expect(events.items.map((e) => e.count)).toEqual([3]);
  });

  it("starts a new Event when the old one is gone", async () => {
    await recorder.record(subject, "Warning", "Expiring", "expires soon");
    await core.deleteCollectionNamespacedEvent({ namespace: "default", fieldSelector: "reason=Expiring" });
    await recorder.record(subject, "Warning", "Expiring", "expires soon");
    const events = await core.listNamespacedEvent({ namespace: "default", fieldSelector: "reason=Expiring" });
    expect(events.items.map((e) => e.count)).toEqual([1]);
  });

  it("never throws: a failure to record is logged, not raised", async () => {
    server.faults.failNext({ verb: "create", resource: "events", count: 1, code: 500 });
    await expect(recorder.record(subject, "Normal", "Other", "x")).resolves.toBeUndefined();
  });
});
