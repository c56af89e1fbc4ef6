import fastJsonPatch from "fast-json-patch";
import type { Logger } from "pino";
import { ApiError } from "../api-error.js";
import { requestUser } from "../auth/request-user.js";
import { localServiceAddress } from "../http/service-proxy.js";
import type { ResourceRegistry } from "../resources/resource-registry.js";
import type { ObjectStore } from "../storage/object-store.js";
import type { ResourceStorage } from "../storage/resource-storage.js";
import type { KubeObject } from "../types.js";
import { admissionReviewFor, callWebhook } from "./webhook-caller.js";
import type { AdmissionAttributes, WebhookSpec } from "./webhook-matching.js";
import { conditionsMatch, rulesMatch, selectorsMatch } from "./webhook-matching.js";

const configurations = {
  mutating: "mutatingwebhookconfigurations.admissionregistration.k8s.io",
  validating: "validatingwebhookconfigurations.admissionregistration.k8s.io",
};
/** Never sent to webhooks, as in kube: a webhook must not be able to lock itself in. */
const exempt = new Set(["validatingwebhookconfigurations", "mutatingwebhookconfigurations", "tokenreviews"]);

/**
 * kube-apiserver's MutatingAdmissionWebhook and ValidatingAdmissionWebhook plugins: every registered
 * webhook whose rules, selectors and matchConditions cover a write is called with an AdmissionReview
 * over HTTPS, mutating ones first and in order (their JSON patches applied), then validating ones in
 * parallel. A denial fails the write with the webhook's message; a webhook that cannot be reached
 * fails it too unless its failurePolicy is Ignore. Warnings reach the client.
 */
export function registerWebhookAdmission(deps: {
  storage: ResourceStorage;
  store: ObjectStore;
  registry: ResourceRegistry;
  log: Logger;
}): void {
  const webhooks = (storageKey: string): WebhookSpec[] =>
    [...deps.store.collection(storageKey).objects.values()]
      .sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""))
      .flatMap((config) => (config as KubeObject & { webhooks?: WebhookSpec[] }).webhooks ?? []);
  const serviceAddress = (namespace: string, name: string, port: number): string | undefined =>
    localServiceAddress(deps.store.get("services", `${namespace}/${name}`), port);

  deps.storage.addAdmissionHook(async (write) => {
    if (exempt.has(write.type.plural)) return undefined;
    const mutating = webhooks(configurations.mutating);
    const validating = webhooks(configurations.validating);
    if (mutating.length === 0 && validating.length === 0) return undefined;
    const namespace = write.type.namespaced
      ? (write.object ?? write.oldObject)?.metadata.namespace
      : undefined;
    const attributes = (object: KubeObject | undefined): AdmissionAttributes => ({
      operation: write.operation,
      group: write.type.group,
      version: write.type.version,
      resource: write.type.plural,
      subresource: write.subresource,
      namespaced: write.type.namespaced,
      namespace,
      object,
      oldObject: write.oldObject,
      namespaceLabels: namespace ? deps.store.get("namespaces", namespace)?.metadata.labels : undefined,
    });
    const user = requestUser.getStore() ?? { username: "system:apiserver", groups: ["system:masters"] };
    const call = async (webhook: WebhookSpec, object: KubeObject | undefined) => {
      const a = attributes(object);
      if (!rulesMatch(webhook, a) || !selectorsMatch(webhook, a)) return undefined;
      const review = admissionReviewFor(a, write.type.kind, user, write.dryRun);
      try {
        if (!conditionsMatch(webhook, a, review.request)) return undefined;
        return await callWebhook(webhook, review, serviceAddress);
      } catch (error) {
        const message = `failed calling webhook "${webhook.name}": ${(error as Error).message}`;
        if (webhook.failurePolicy === "Ignore") {
          deps.log.warn({ webhook: webhook.name }, `${message} (failurePolicy Ignore)`);
          return undefined;
        }
        throw ApiError.internal(message);
      }
    };
    const deny = (webhook: WebhookSpec, status: { code?: number; message?: string } | undefined) =>
      ApiError.withCode(
        status?.code && status.code >= 400 ? status.code : 400,
        `admission webhook "${webhook.name}" denied the request${status?.message ? `: ${status.message}` : " without explanation"}`,
      );

    let object = write.object;
    for (const webhook of mutating) {
      const answer = await call(webhook, object);
      if (!answer) continue;
      write.warnings.push(...(answer.warnings ?? []));
      if (!answer.allowed) throw deny(webhook, answer.status);
      if (answer.patch && object) {
        if (answer.patchType !== "JSONPatch")
          throw ApiError.internal(
            `webhook "${webhook.name}" answered a patch of type ${answer.patchType ?? "(none)"}, not JSONPatch`,
          );
        const operations = JSON.parse(
          Buffer.from(answer.patch, "base64").toString("utf8"),
        ) as fastJsonPatch.Operation[];
        object = fastJsonPatch.applyPatch(structuredClone(object), operations, true, false).newDocument;
      }
    }
    const answers = await Promise.all(
      validating.map(async (webhook) => ({ webhook, answer: await call(webhook, object) })),
    );
    for (const { answer } of answers) write.warnings.push(...(answer?.warnings ?? []));
    const denied = answers.find(({ answer }) => answer && !answer.allowed);
    if (denied) throw deny(denied.webhook, denied.answer?.status);
    return object;
  });
}
