import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError } from "../api-error.js";
import { readBody } from "../http/request-body.js";
import { send } from "../http/response.js";
import type { ResourceStorage } from "../storage/resource-storage.js";
import type { ResourceRegistry } from "../resources/resource-registry.js";

interface Issued {
  namespace: string;
  serviceAccount: string;
  uid: string;
  audiences: string[];
  expires: number;
}

export interface AuthenticatedUser {
  username: string;
  uid?: string;
  groups: string[];
}

const tokenRequest = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)\/token$/;
const tokenReviews = "/apis/authentication.k8s.io/v1/tokenreviews";

/**
 * Who a bearer token is, as kube-apiserver's authenticators answer: the server's own token (an
 * administrator) and ServiceAccount tokens it issued through the TokenRequest API
 * (`POST .../serviceaccounts/{name}/token`), which TokenReview (`POST /apis/authentication.k8s.io/v1/
 * tokenreviews`) answers for, with their audiences and expiry. Tokens are opaque, not JWTs: nothing
 * outside the server reads them. There is no authorization: every authenticated user may do anything.
 */
export class TokenAuthority {
  readonly #issued = new Map<string, Issued>();

  constructor(
    private readonly adminToken: string,
    private readonly registry: ResourceRegistry,
    private readonly storage: ResourceStorage,
    private readonly now: () => number = Date.now,
  ) {}

  authenticate(token: string, audiences?: readonly string[]): AuthenticatedUser | undefined {
    if (equal(token, this.adminToken))
      return { username: "switchboard-admin", groups: ["system:masters", "system:authenticated"] };
    const issued = this.#issued.get(token);
    if (!issued || issued.expires <= this.now()) return undefined;
    if (audiences && audiences.length > 0 && !audiences.some((a) => issued.audiences.includes(a)))
      return undefined;
    return {
      username: `system:serviceaccount:${issued.namespace}:${issued.serviceAccount}`,
      uid: issued.uid,
      groups: [
        "system:serviceaccounts",
        `system:serviceaccounts:${issued.namespace}`,
        "system:authenticated",
      ],
    };
  }

  /** Serves TokenRequest and TokenReview; false for any other path. */
  async handle(request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> {
    const requested = tokenRequest.exec(path);
    if (requested && request.method === "POST") {
      await this.#issue(
        request,
        response,
        decodeURIComponent(requested[1] ?? ""),
        decodeURIComponent(requested[2] ?? ""),
      );
      return true;
    }
    if (path === tokenReviews && request.method === "POST") {
      await this.#review(request, response);
      return true;
    }
    return false;
  }

  async #issue(
    request: IncomingMessage,
    response: ServerResponse,
    namespace: string,
    name: string,
  ): Promise<void> {
    const type = this.registry.lookup("", "v1", "serviceaccounts");
    const account = type ? this.storage.find(type, namespace, name) : undefined;
    if (!account) throw ApiError.notFound({ group: "", resource: "serviceaccounts" }, name);
    const body = parse(await readBody(request)) as {
      spec?: { audiences?: string[]; expirationSeconds?: number };
    };
    const seconds = body.spec?.expirationSeconds ?? 3600;
    if (!Number.isInteger(seconds) || seconds < 600)
      throw ApiError.invalid({ group: "authentication.k8s.io", kind: "TokenRequest" }, name, [
        {
          reason: "FieldValueInvalid",
          field: "spec.expirationSeconds",
          message: `Invalid value: ${seconds}: may not specify a duration less than 10 minutes`,
        },
      ]);
    const token = randomBytes(32).toString("base64url");
    const expires = this.now() + seconds * 1000;
    this.#issued.set(token, {
      namespace,
      serviceAccount: name,
      uid: account.metadata.uid ?? "",
      audiences: body.spec?.audiences ?? ["https://kubernetes.default.svc"],
      expires,
    });
    send(response, 201, {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name, namespace, creationTimestamp: null },
      spec: {
        audiences: body.spec?.audiences ?? ["https://kubernetes.default.svc"],
        expirationSeconds: seconds,
        boundObjectRef: null,
      },
      status: { token, expirationTimestamp: new Date(expires).toISOString().replace(/\.\d{3}Z$/, "Z") },
    });
  }

  async #review(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = parse(await readBody(request)) as { spec?: { token?: string; audiences?: string[] } };
    const token = body.spec?.token ?? "";
    const user = token ? this.authenticate(token, body.spec?.audiences) : undefined;
    send(response, 201, {
      kind: "TokenReview",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { creationTimestamp: null },
      spec: body.spec ?? {},
      status: user
        ? { authenticated: true, user, ...(body.spec?.audiences ? { audiences: body.spec.audiences } : {}) }
        : { user: {}, error: "invalid bearer token" },
    });
  }
}

function parse(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8") || "{}");
  } catch (error) {
    throw ApiError.badRequest(`the request body is not JSON: ${(error as Error).message}`);
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
