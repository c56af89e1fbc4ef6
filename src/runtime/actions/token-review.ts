import type { KubeClient } from "../../operator/kube/kube-client.js";
import type { TokenReviewer } from "./caller-authorizer.js";

/**
 * Asks the API server who a bearer token belongs to, with an `authentication.k8s.io/v1` TokenReview,
 * as kube-rbac-proxy does. The runtime's ServiceAccount needs `create` on `tokenreviews`.
 */
export function tokenReviewer(client: KubeClient, audiences?: string[]): TokenReviewer {
  return async (token) => {
    const review = await client.request<{
      status?: { authenticated?: boolean; user?: { username?: string } };
    }>("POST", "/apis/authentication.k8s.io/v1/tokenreviews", {
      apiVersion: "authentication.k8s.io/v1",
      kind: "TokenReview",
      spec: { token, ...(audiences ? { audiences } : {}) },
    });
    return {
      authenticated: review.status?.authenticated === true,
      ...(review.status?.user?.username ? { username: review.status.user.username } : {}),
    };
  };
}
