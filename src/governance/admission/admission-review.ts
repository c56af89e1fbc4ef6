import type { KubeObject } from "../../apiserver/types.js";
import type { AdmissionDecision } from "./review-object.js";

/** The request of an AdmissionReview v1, the fields admission reads. */
export interface AdmissionRequest {
  uid: string;
  operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  kind: { group: string; version: string; kind: string };
  namespace?: string;
  name?: string;
  object: KubeObject | undefined;
  oldObject: KubeObject | undefined;
  userInfo: { username?: string; groups?: string[] };
  dryRun: boolean;
}

export interface AdmissionReviewResponse {
  apiVersion: "admission.k8s.io/v1";
  kind: "AdmissionReview";
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; reason?: string; message: string };
    warnings?: string[];
  };
}

const operations = new Set(["CREATE", "UPDATE", "DELETE", "CONNECT"]);
/** kube-apiserver caps a warning at 120 characters when it is not its own; ours are longer, and few. */
const maxWarnings = 20;

/**
 * Reads an AdmissionReview v1 without trusting it: anything malformed (not an object, another version
 * or kind, no uid, an unknown operation, an object that is not an object) is a string naming what is
 * wrong, answered as a denial.
 */
export function parseAdmissionReview(body: unknown): AdmissionRequest | { uid: string; problem: string } {
  const review = body as { apiVersion?: unknown; kind?: unknown; request?: Record<string, unknown> } | null;
  if (!review || typeof review !== "object" || Array.isArray(review))
    return { uid: "", problem: "the body is not an AdmissionReview object" };
  const request = review.request;
  const uid = request && typeof request.uid === "string" ? request.uid.slice(0, 128) : "";
  const problem = (text: string) => ({ uid, problem: text });
  if (review.apiVersion !== "admission.k8s.io/v1")
    return problem(`apiVersion ${JSON.stringify(review.apiVersion)} is not admission.k8s.io/v1`);
  if (review.kind !== "AdmissionReview")
    return problem(`kind ${JSON.stringify(review.kind)} is not AdmissionReview`);
  if (!request || typeof request !== "object" || Array.isArray(request)) return problem("request is missing");
  if (!uid) return problem("request.uid is missing");
  if (typeof request.operation !== "string" || !operations.has(request.operation))
    return problem(
      `request.operation ${JSON.stringify(request.operation)} is not CREATE, UPDATE, DELETE or CONNECT`,
    );
  const kind = request.kind as { group?: unknown; version?: unknown; kind?: unknown } | undefined;
  if (!kind || typeof kind.kind !== "string") return problem("request.kind.kind is missing");
  const objectOf = (value: unknown, field: string): KubeObject | undefined | string => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) return `${field} is not an object`;
    const object = value as Partial<KubeObject>;
    if (typeof object.kind !== "string" || typeof object.apiVersion !== "string")
      return `${field} has no apiVersion or kind`;
    if (
      object.metadata !== undefined &&
      (typeof object.metadata !== "object" || Array.isArray(object.metadata))
    )
      return `${field}.metadata is not an object`;
    return { ...object, metadata: object.metadata ?? {} } as KubeObject;
  };
  const object = objectOf(request.object, "request.object");
  if (typeof object === "string") return problem(object);
  const oldObject = objectOf(request.oldObject, "request.oldObject");
  if (typeof oldObject === "string") return problem(oldObject);
  if (request.operation !== "DELETE" && !object)
    return problem(`request.object is missing for ${request.operation}`);
  const user = (request.userInfo ?? {}) as { username?: unknown; groups?: unknown };
  return {
    uid,
    operation: request.operation as AdmissionRequest["operation"],
    kind: {
      group: typeof kind.group === "string" ? kind.group : "",
      version: typeof kind.version === "string" ? kind.version : "",
      kind: kind.kind,
    },
    ...(typeof request.namespace === "string" ? { namespace: request.namespace } : {}),
    ...(typeof request.name === "string" ? { name: request.name } : {}),
    object,
    oldObject,
    userInfo: {
      ...(typeof user.username === "string" ? { username: user.username } : {}),
      ...(Array.isArray(user.groups)
        ? { groups: user.groups.filter((g): g is string => typeof g === "string") }
        : {}),
    },
    dryRun: request.dryRun === true,
  };
}

export function admissionResponse(
  uid: string,
  decision: Pick<AdmissionDecision, "allowed" | "code" | "reason" | "message" | "warnings">,
): AdmissionReviewResponse {
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    response: {
      uid,
      allowed: decision.allowed,
      ...(decision.allowed
        ? {}
        : {
            status: {
              code: decision.code ?? 403,
              ...(decision.reason ? { reason: decision.reason } : {}),
              message: decision.message ?? "denied",
            },
          }),
      ...(decision.warnings.length > 0 ? { warnings: decision.warnings.slice(0, maxWarnings) } : {}),
    },
  };
}
