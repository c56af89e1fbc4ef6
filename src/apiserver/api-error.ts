import type { FieldError } from "./types.js";

/** A `metav1.Status` as kube-apiserver writes it for a failed request. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure";
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason: string; message: string; field: string }[];
  retryAfterSeconds?: number;
}

/** Names a resource the way apimachinery's errors do: `configmaps` or `integrations.switchboard.dev`. */
export interface ResourceName {
  group: string;
  /** The plural resource (`configmaps`) for most errors; the Kind for `Invalid`. */
  resource: string;
}

const brand = Symbol.for("switchboard.dev/ApiError");

/**
 * An error that becomes a `metav1.Status` response. Each constructor mirrors one of apimachinery's
 * `k8s.io/apimachinery/pkg/api/errors` helpers, so clients that branch on `reason` and `code` behave
 * as they do against kube-apiserver.
 */
export class ApiError extends Error {
  readonly [brand] = true;

  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ApiError";
  }

  toStatus(): Status {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, "BadRequest", message);
  }

  static unauthorized(): ApiError {
    return new ApiError(401, "Unauthorized", "Unauthorized");
  }

  static forbidden(what: ResourceName, name: string, why: string): ApiError {
    return new ApiError(403, "Forbidden", `${qualified(what)} "${name}" is forbidden: ${why}`, {
      name,
      ...groupKind(what),
    });
  }

  static notFound(what: ResourceName, name: string): ApiError {
    return new ApiError(404, "NotFound", `${qualified(what)} "${name}" not found`, {
      name,
      ...groupKind(what),
    });
  }

  /** The answer for a path that names no resource the server knows. */
  static noSuchResource(): ApiError {
    return new ApiError(404, "NotFound", "the server could not find the requested resource", {});
  }

  static methodNotAllowed(): ApiError {
    return new ApiError(
      405,
      "MethodNotAllowed",
      "the server does not allow this method on the requested resource",
    );
  }

  static notAcceptable(accepted: string[]): ApiError {
    return new ApiError(
      406,
      "NotAcceptable",
      `only the following media types are accepted: ${accepted.join(", ")}`,
    );
  }

  static alreadyExists(what: ResourceName, name: string): ApiError {
    return new ApiError(409, "AlreadyExists", `${qualified(what)} "${name}" already exists`, {
      name,
      ...groupKind(what),
    });
  }

  static conflict(what: ResourceName, name: string, why: string): ApiError {
    return new ApiError(
      409,
      "Conflict",
      `Operation cannot be fulfilled on ${qualified(what)} "${name}": ${why}`,
      {
        name,
        ...groupKind(what),
      },
    );
  }

  static gone(message: string): ApiError {
    return new ApiError(410, "Expired", message);
  }

  static tooLarge(limit: number): ApiError {
    return new ApiError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limit}`);
  }

  static unsupportedMediaType(contentType: string, accepted: string[]): ApiError {
    return new ApiError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
      { kind: contentType },
    );
  }

  /** 422 with one cause per field error, formatted as `Kind.group "name" is invalid: [a, b]`. */
  static invalid(kind: { group: string; kind: string }, name: string, errors: FieldError[]): ApiError {
    const list = errors.map((e) => `${e.field}: ${e.message}`);
    const summary = list.length === 1 ? list[0] : `[${list.join(", ")}]`;
    const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
    return new ApiError(422, "Invalid", `${qualifiedKind} "${name}" is invalid: ${summary}`, {
      name,
      group: kind.group,
      kind: kind.kind,
      causes: errors.map((e) => ({ reason: e.reason, message: e.message, field: e.field })),
    });
  }

  static tooManyRequests(retryAfterSeconds: number): ApiError {
    return new ApiError(
      429,
      "TooManyRequests",
      "the server has received too many requests and has asked us to try again later",
      {
        retryAfterSeconds,
      },
    );
  }

  static internal(message: string, cause?: unknown): ApiError {
    return new ApiError(
      500,
      "InternalError",
      `Internal error occurred: ${message}`,
      { causes: [{ reason: "UnexpectedServerResponse", message, field: "" }] },
      { cause },
    );
  }

  /** A status for an injected or otherwise arbitrary code, with the reason kube uses for it. */
  static withCode(code: number, message: string, retryAfterSeconds?: number): ApiError {
    const reason = reasonForCode[code] ?? "Unknown";
    return new ApiError(
      code,
      reason,
      message,
      retryAfterSeconds === undefined ? undefined : { retryAfterSeconds },
    );
  }
}

export function isApiError(error: unknown): error is ApiError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}

const reasonForCode: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  410: "Expired",
  413: "RequestEntityTooLarge",
  415: "UnsupportedMediaType",
  422: "Invalid",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
  504: "Timeout",
};

function qualified(what: ResourceName): string {
  return what.group ? `${what.resource}.${what.group}` : what.resource;
}

function groupKind(what: ResourceName): { group?: string; kind: string } {
  return what.group ? { group: what.group, kind: what.resource } : { kind: what.resource };
}
