import { auditEvent } from "../governance/audit/audit-event.js";
import type { AuditLog } from "../governance/audit/audit-log.js";
import type { ActionCallRecord } from "./actions/action-executor.js";
import type { RuntimeConfig } from "./config/runtime-config.js";

/**
 * The runtime's audit trail: each outbound action (who asked, the vendor host, the credential and
 * scheme it used, the outcome) and each token request made with the Credential. Names and outcomes
 * only: never a secret, a token, or a payload.
 */
export function runtimeAudit(log: AuditLog, config: RuntimeConfig) {
  const { namespace, name } = config.integration;
  const actor = `system:serviceaccount:${namespace}:${name}`;
  const credential = config.integration.spec.credentialRef?.name;
  const connector = config.connector.name;
  return {
    actionCall(call: ActionCallRecord): void {
      log.record(
        auditEvent({
          operation: "CALL",
          service: "runtime",
          actor,
          resource: { type: "ConnectorAction", name: `${connector}/${call.action}`, namespace },
          allowed: call.ok,
          message: `${connector} action ${call.action} ${call.ok ? "succeeded" : "failed"}${call.status ? ` (${call.status})` : ""}`,
          details: {
            integration: name,
            caller: call.caller ?? "unknown",
            host: call.host,
            ...(call.status !== undefined ? { status: call.status } : {}),
            ...(call.scheme ? { credential: credential ?? null, scheme: call.scheme } : {}),
            // A vendor's answer may echo the payload: only a failure without one (the network) is described.
            ...(call.error && call.status === undefined ? { error: call.error.slice(0, 512) } : {}),
          },
        }),
      );
    },
    tokenRequest(scheme: string, ok: boolean): void {
      log.record(
        auditEvent({
          operation: "TOKEN_REQUEST",
          service: "runtime",
          actor,
          resource: { type: "Credential", name: credential ?? "", namespace },
          allowed: ok,
          message: `token request with Credential ${credential ?? ""} for ${connector} (${scheme}) ${ok ? "granted" : "refused"}`,
          details: { integration: name, connector, scheme },
        }),
      );
    },
  };
}
