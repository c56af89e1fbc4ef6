import type { Logger } from "pino";
import { ConditionType, Reason } from "../../api/conditions.js";
import { requiredSecretKeys, secretKeyName } from "../../api/credential-secret-keys.js";
import type { Condition, Credential, CredentialStatus } from "../../api/types.js";
import type { KubeObject } from "../../apiserver/types.js";
import { removeCondition, setCondition } from "../controller/conditions.js";
import { WaitingError } from "../controller/reconcile-errors.js";
import { collectionPath, writeStatus } from "../controller/status-writer.js";
import type { EventRecorder } from "../events/event-recorder.js";
import type { Informer } from "../informer/informer.js";
import type { KubeClient } from "../kube/kube-client.js";

export interface CredentialReconcilerOptions {
  client: KubeClient;
  /** Secrets as the operator caches them: metadata and key names, never values. */
  secrets: Informer;
  events: EventRecorder;
  log: Logger;
}

/** Keeps only what the credential check reads from a Secret: its metadata and the names of its keys. */
export function secretKeysOnly(secret: KubeObject): KubeObject {
  const { managedFields: _managedFields, ...metadata } = secret.metadata;
  const keys = [
    ...Object.keys((secret.data as Record<string, unknown> | undefined) ?? {}),
    ...Object.keys((secret.stringData as Record<string, unknown> | undefined) ?? {}),
  ];
  return {
    apiVersion: secret.apiVersion,
    kind: secret.kind,
    metadata,
    data: Object.fromEntries(keys.map((k) => [k, ""])),
  };
}

/**
 * Reconciles a Credential: its Secret exists in the same namespace and holds every key its type needs
 * (under the names `spec.secretRef.keys` gives). The outcome is `Ready`; a Secret change brings the
 * Credential back here through the operator's Secret informer. No secret value is read or kept.
 */
export function credentialReconciler(options: CredentialReconcilerOptions) {
  return async (_key: string, object: KubeObject | undefined): Promise<void> => {
    if (!object || object.metadata.deletionTimestamp) return;
    const credential = object as Credential;
    const namespace = credential.metadata.namespace ?? "default";
    const secretName = credential.spec.secretRef.name;
    const secret = options.secrets.get(namespace, secretName);
    const status: CredentialStatus = { ...(credential.status ?? {}) };
    const generation = credential.metadata.generation;
    const now = new Date();
    let ready: { status: "True" | "False"; reason: string; message: string };
    if (!secret) {
      ready = {
        status: "False",
        reason: Reason.SecretNotFound,
        message: `Secret "${secretName}" not found in namespace ${namespace}: create it`,
      };
    } else {
      const present = new Set(Object.keys((secret.data as Record<string, unknown> | undefined) ?? {}));
      const missing = requiredSecretKeys[credential.spec.type]
        .map((field) => ({ field, key: secretKeyName(field, credential.spec.secretRef.keys) }))
        .filter(({ key }) => !present.has(key));
      ready =
        missing.length > 0
          ? {
              status: "False",
              reason: Reason.SecretKeyMissing,
              message: `Secret "${secretName}" lacks ${missing.map((m) => `"${m.key}" (spec.secretRef.keys.${m.field})`).join(", ")}, which a ${credential.spec.type} credential needs`,
            }
          : {
              status: "True",
              reason: Reason.Succeeded,
              message: `Secret "${secretName}" holds the keys a ${credential.spec.type} credential needs`,
            };
    }
    const previousReady = (status.conditions ?? []).find((c) => c.type === ConditionType.Ready);
    let conditions: Condition[] = setCondition(
      status.conditions ?? [],
      { type: ConditionType.Ready, ...ready },
      generation,
      now,
    );
    conditions = removeCondition(conditions, ConditionType.Stalled);
    const secretVersion = secret?.metadata.resourceVersion;
    const next: CredentialStatus = {
      ...status,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      conditions,
      ...(secretVersion ? { secretResourceVersion: secretVersion } : {}),
    };
    // The time of the check moves only when what was checked moved, so a steady cluster sees no writes.
    if (secretVersion !== status.secretResourceVersion || previousReady?.status !== ready.status) {
      next.lastVerifiedTime = now.toISOString().replace(/\.\d{3}Z$/, "Z");
    }
    const changed = await writeStatus(
      options.client,
      collectionPath(credential.apiVersion, "credentials", namespace),
      credential,
      next as Record<string, unknown>,
    );
    if (changed && ready.status === "False")
      await options.events.record(credential, "Warning", ready.reason, ready.message);
    else if (changed && previousReady?.status !== "True")
      await options.events.record(credential, "Normal", Reason.Succeeded, ready.message);
    if (ready.status === "False") throw new WaitingError(ready.reason, ready.message, 5 * 60_000);
  };
}
