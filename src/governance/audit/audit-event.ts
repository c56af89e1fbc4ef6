import { version } from "../../cli/version.js";

/**
 * An audit event in OCSF 1.3.0's API Activity class (6003): who did what to which resource, and
 * whether it was allowed. Switchboard's own details (the policy, the rule, the decision) go in
 * `unmapped`, as OCSF asks. Never secret values: callers pass names and outcomes, not payloads.
 */
export interface AuditEvent {
  class_uid: 6003;
  class_name: "API Activity";
  category_uid: 6;
  category_name: "Application Activity";
  activity_id: 1 | 2 | 3 | 4 | 99;
  activity_name: string;
  type_uid: number;
  time: number;
  severity_id: 1 | 3;
  status_id: 1 | 2;
  status: "Success" | "Failure";
  message: string;
  actor: { user: { name: string; groups?: string[] } };
  api: { operation: string; service: { name: string } };
  resources: { type: string; name: string; namespace?: string }[];
  metadata: {
    version: "1.3.0";
    product: { name: "Switchboard"; vendor_name: "Switchboard"; version: string };
    log_name: "audit";
  };
  unmapped?: Record<string, unknown>;
}

const activities: Record<string, AuditEvent["activity_id"]> = { CREATE: 1, READ: 2, UPDATE: 3, DELETE: 4 };

export function auditEvent(options: {
  operation: string;
  service: "admission" | "runtime";
  actor: string;
  groups?: string[];
  resource: { type: string; name: string; namespace?: string | undefined };
  allowed: boolean;
  message: string;
  details?: Record<string, unknown>;
  now?: Date;
}): AuditEvent {
  const activity = activities[options.operation] ?? 99;
  return {
    class_uid: 6003,
    class_name: "API Activity",
    category_uid: 6,
    category_name: "Application Activity",
    activity_id: activity,
    activity_name:
      activity === 99
        ? options.operation
        : options.operation.charAt(0) + options.operation.slice(1).toLowerCase(),
    type_uid: 600300 + activity,
    time: (options.now ?? new Date()).getTime(),
    severity_id: options.allowed ? 1 : 3,
    status_id: options.allowed ? 1 : 2,
    status: options.allowed ? "Success" : "Failure",
    message: options.message,
    actor: { user: { name: options.actor, ...(options.groups ? { groups: options.groups } : {}) } },
    api: { operation: options.operation, service: { name: `switchboard-${options.service}` } },
    resources: [
      {
        type: options.resource.type,
        name: options.resource.name,
        ...(options.resource.namespace ? { namespace: options.resource.namespace } : {}),
      },
    ],
    metadata: {
      version: "1.3.0",
      product: { name: "Switchboard", vendor_name: "Switchboard", version },
      log_name: "audit",
    },
    ...(options.details ? { unmapped: options.details } : {}),
  };
}
