import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import { ConditionType, Reason } from "../../api/conditions.js";
import { requiredSecretKeys, secretKeyName } from "../../api/credential-secret-keys.js";
import type { Condition, Credential, CredentialStatus } from "../../api/types.js";
import type { KubeObject } from "../../apiserver/types.js";
import { requestClientCredentialsToken } from "../../auth/oauth2-token-request.js";
import { removeCondition, setCondition } from "../controller/conditions.js";
import { WaitingError } from "../controller/reconcile-errors.js";
import { collectionPath, writeStatus } from "../controller/status-writer.js";
import type { EventRecorder } from "../events/event-recorder.js";
import type { Informer } from "../informer/informer.js";
import type { KubeClient } from "../kube/kube-client.js";
import type { OperatorMetrics } from "../metrics/operator-metrics.js";
import type { ReconcileResult } from "../queue/work-queue.js";
import { expiryOf, rfc3339 } from "./credential-expiry.js";

export interface CredentialCheckSettings {
  /** How often a token endpoint is asked again though nothing changed. @default 3600000 (an hour) */
  intervalMs?: number;
  /** How long a token request may take. @default 10000 */
  timeoutMs?: number;
  /** How far ahead of expiry a Warning is raised. @default 1209600000 (14 days) */
  expiryWarningMs?: number;
  /** The dispatcher token requests go through, e.g. one trusting a private CA. */
  dispatcher?: Dispatcher;
}

export interface CredentialReconcilerOptions {
  client: KubeClient;
  /** Secrets as the operator caches them: metadata, type and key names, never values. */
  secrets: Informer;
  events: EventRecorder;
  metrics: OperatorMetrics;
  checks?: CredentialCheckSettings;
  log: Logger;
}

/** Keeps only what the credential check reads from a Secret: its metadata, type and the names of its keys. */
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
    ...(secret.type !== undefined ? { type: secret.type } : {}),
    data: Object.fromEntries(keys.map((k) => [k, ""])),
  };
}

type Outcome = { status: "True" | "False"; reason: string; message: string };

/** The last token check of one Credential, kept in memory only: what was checked and how it went. */
interface TokenCheck {
  input: string;
  at: number;
  ok: boolean;
  failure?: "rejected" | "unreachable";
  message: string;
}

/**
 * Reconciles a Credential. Its Secret must exist in the same namespace and hold every key its type
 * needs (under the names `spec.secretRef.keys` gives); for the OAuth 2.0 client credentials type the
 * token endpoint must issue a token (asked again when the Secret or spec changes and on a schedule;
 * the token is dropped at once); an expiry the Secret declares (annotation, or a TLS Secret's
 * certificate) is warned of ahead of time and fails the Credential once passed.
 *
 * Secret values are read only for a token request or a certificate, straight from the API server,
 * and never kept; the cache holds key names. Status and events carry no values.
 */
export function credentialReconciler(options: CredentialReconcilerOptions) {
  const intervalMs = options.checks?.intervalMs ?? 3_600_000;
  const timeoutMs = options.checks?.timeoutMs ?? 10_000;
  const warningMs = options.checks?.expiryWarningMs ?? 14 * 86_400_000;
  // An endpoint that did not answer is asked again sooner than the schedule.
  const unreachableRetryMs = Math.min(60_000, intervalMs);
  const tokenChecks = new Map<string, TokenCheck>();

  return async (key: string, object: KubeObject | undefined): Promise<ReconcileResult | void> => {
    if (!object || object.metadata.deletionTimestamp) {
      tokenChecks.delete(key);
      return;
    }
    const credential = object as Credential;
    const namespace = credential.metadata.namespace ?? "default";
    const name = credential.metadata.name ?? "";
    const secretName = credential.spec.secretRef.name;
    const secret = options.secrets.get(namespace, secretName);
    const status: CredentialStatus = { ...(credential.status ?? {}) };
    const generation = credential.metadata.generation;
    const now = Date.now();
    const retries: number[] = [];
    let outcome: Outcome;
    let expiration: Date | undefined;

    const missing = secret
      ? requiredSecretKeys[credential.spec.type]
          .map((field) => ({ field, key: secretKeyName(field, credential.spec.secretRef.keys) }))
          .filter(({ key: k }) => !Object.hasOwn((secret.data as object | undefined) ?? {}, k))
      : [];
    if (!secret) {
      outcome = {
        status: "False",
        reason: Reason.SecretNotFound,
        message: `Secret "${secretName}" not found in namespace ${namespace}: create it`,
      };
    } else if (missing.length > 0) {
      outcome = {
        status: "False",
        reason: Reason.SecretKeyMissing,
        message: `Secret "${secretName}" lacks ${missing.map((m) => `"${m.key}" (spec.secretRef.keys.${m.field})`).join(", ")}, which a ${credential.spec.type} credential needs`,
      };
    } else {
      outcome = {
        status: "True",
        reason: Reason.Succeeded,
        message: `Secret "${secretName}" holds the keys a ${credential.spec.type} credential needs`,
      };
      const wantsToken = credential.spec.type === "oauth2-client-credentials" && credential.spec.oauth2;
      const wantsCertificate = secret.type === "kubernetes.io/tls";
      let values: Record<string, string> | undefined;
      const readValues = async () =>
        (values ??= await readSecretValues(options.client, namespace, secretName));

      // The token endpoint, when the input changed or the last answer is old.
      if (wantsToken) {
        const input = `${generation ?? ""}/${secret.metadata.resourceVersion ?? ""}`;
        let check = tokenChecks.get(key);
        const due = check?.ok === false && check.failure === "unreachable" ? unreachableRetryMs : intervalMs;
        if (!check || check.input !== input || now - check.at >= due) {
          const secretValues = await readValues();
          const oauth2 = credential.spec.oauth2 ?? { tokenURL: "" };
          const keys = credential.spec.secretRef.keys;
          const answer = await requestClientCredentialsToken({
            tokenURL: oauth2.tokenURL,
            clientId: secretValues[secretKeyName("clientId", keys)] ?? "",
            clientSecret: secretValues[secretKeyName("clientSecret", keys)] ?? "",
            ...(oauth2.scopes ? { scopes: oauth2.scopes } : {}),
            ...(oauth2.audience ? { audience: oauth2.audience } : {}),
            ...(oauth2.parameters ? { parameters: oauth2.parameters } : {}),
            ...(oauth2.clientAuthentication ? { clientAuthentication: oauth2.clientAuthentication } : {}),
            timeoutMs,
            ...(options.checks?.dispatcher ? { dispatcher: options.checks.dispatcher } : {}),
          });
          // The token itself goes no further than this line.
          check = answer.ok
            ? {
                input,
                at: now,
                ok: true,
                message: `token endpoint ${oauth2.tokenURL} issued a ${answer.tokenType} token${answer.expiresIn ? ` valid for ${answer.expiresIn} s` : ""}`,
              }
            : { input, at: now, ok: false, failure: answer.failure, message: answer.message };
          tokenChecks.set(key, check);
          options.metrics.credentialChecks.inc({
            namespace,
            credential: name,
            result: answer.ok ? "ok" : answer.failure,
          });
        }
        retries.push(
          check.at +
            (check.ok === false && check.failure === "unreachable" ? unreachableRetryMs : intervalMs) -
            now,
        );
        outcome = check.ok
          ? { status: "True", reason: Reason.Verified, message: check.message }
          : {
              status: "False",
              reason:
                check.failure === "unreachable" ? Reason.TokenEndpointUnreachable : Reason.TokenRequestFailed,
              message:
                check.failure === "unreachable"
                  ? `${check.message}; retrying every ${unreachableRetryMs / 1000} s`
                  : `${check.message}: check the client id and secret in Secret "${secretName}" and spec.oauth2`,
            };
      }

      // Expiry, from the Secret's annotation or its certificate.
      const expiry = expiryOf(secret, wantsCertificate ? (await readValues())["tls.crt"] : undefined);
      if (expiry && "error" in expiry) {
        outcome = { status: "False", reason: Reason.InvalidSpec, message: expiry.error };
      } else if (expiry) {
        expiration = expiry.at;
        const left = expiry.at.getTime() - now;
        if (left <= 0) {
          outcome = {
            status: "False",
            reason: Reason.Expired,
            message: `Secret "${secretName}" expired at ${rfc3339(expiry.at)} (from ${expiry.source}): rotate it`,
          };
        } else {
          if (left <= warningMs && outcome.status === "True") {
            outcome = {
              status: "True",
              reason: Reason.Expiring,
              message: `Secret "${secretName}" expires at ${rfc3339(expiry.at)} (from ${expiry.source}): rotate it before then`,
            };
          }
          retries.push(left > warningMs ? left - warningMs : left);
        }
      }
      values = undefined;
    }

    const previousReady = (status.conditions ?? []).find((c) => c.type === ConditionType.Ready);
    let conditions: Condition[] = setCondition(
      status.conditions ?? [],
      { type: ConditionType.Ready, ...outcome },
      generation,
      new Date(now),
    );
    conditions = removeCondition(conditions, ConditionType.Stalled);
    const secretVersion = secret?.metadata.resourceVersion;
    const next: CredentialStatus = {
      ...status,
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
      conditions,
      ...(secretVersion ? { secretResourceVersion: secretVersion } : {}),
    };
    if (expiration) next.expirationTime = rfc3339(expiration);
    else delete next.expirationTime;
    // The time of the check moves only when what was checked, or what it found, moved: a re-check
    // with the same answer writes nothing (it is counted in switchboard_credential_checks_total).
    if (
      secretVersion !== status.secretResourceVersion ||
      previousReady?.status !== outcome.status ||
      previousReady.reason !== outcome.reason
    ) {
      next.lastVerifiedTime = rfc3339(new Date(now));
    }
    if (expiration)
      options.metrics.credentialExpiry.set({ namespace, credential: name }, expiration.getTime() / 1000);
    else options.metrics.credentialExpiry.remove({ namespace, credential: name });
    const changed = await writeStatus(
      options.client,
      collectionPath(credential.apiVersion, "credentials", namespace),
      credential,
      next as Record<string, unknown>,
    );
    const reasonChanged = previousReady?.status !== outcome.status || previousReady.reason !== outcome.reason;
    if (changed && reasonChanged) {
      if (outcome.status === "False" || outcome.reason === Reason.Expiring)
        await options.events.record(credential, "Warning", outcome.reason, outcome.message);
      else await options.events.record(credential, "Normal", outcome.reason, outcome.message);
    }
    const requeueAfterMs = retries.length > 0 ? Math.max(1_000, Math.min(...retries)) : undefined;
    if (outcome.status === "False")
      throw new WaitingError(outcome.reason, outcome.message, requeueAfterMs ?? 5 * 60_000);
    return requeueAfterMs !== undefined ? { requeueAfterMs } : undefined;
  };
}

/** A Secret's values, decoded, fetched for one check and not cached. */
async function readSecretValues(
  client: KubeClient,
  namespace: string,
  name: string,
): Promise<Record<string, string>> {
  const secret = await client.request<{ data?: Record<string, string> }>(
    "GET",
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets/${encodeURIComponent(name)}`,
  );
  return Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}
