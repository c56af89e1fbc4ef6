import { timingSafeEqual } from "node:crypto";
import type { ActionAPI } from "../../api/types.js";

export type Authorization =
  { allowed: true; caller: string } | { allowed: false; status: 401 | 403; message: string };

/** Asks the API server who a token belongs to (a TokenReview). */
export type TokenReviewer = (token: string) => Promise<{ authenticated: boolean; username?: string }>;

/**
 * Who may call the action API: ServiceAccounts the Integration lists, authenticated by their tokens
 * through a TokenReview (answers cached for a minute), or, in local mode, one static token.
 */
export function callerAuthorizer(options: {
  actionAPI: ActionAPI | undefined;
  namespace: string;
  staticToken?: string;
  review?: TokenReviewer;
}) {
  const allowed = new Set(
    (options.actionAPI?.allowedServiceAccounts ?? []).map(
      (sa) => `system:serviceaccount:${sa.namespace ?? options.namespace}:${sa.name}`,
    ),
  );
  const cache = new Map<string, { at: number; username: string | undefined }>();
  return async (authorization: string | undefined): Promise<Authorization> => {
    const token = /^Bearer (.+)$/i.exec(authorization ?? "")?.[1]?.trim();
    if (!token)
      return { allowed: false, status: 401, message: "no bearer token: send a ServiceAccount token" };
    if (options.staticToken && equal(token, options.staticToken)) return { allowed: true, caller: "local" };
    if (!options.review) return { allowed: false, status: 401, message: "the token is not valid here" };
    let entry = cache.get(token);
    if (!entry || Date.now() - entry.at > 60_000) {
      const review = await options.review(token);
      entry = { at: Date.now(), username: review.authenticated ? review.username : undefined };
      cache.set(token, entry);
      if (cache.size > 1_000) cache.delete(cache.keys().next().value as string);
    }
    if (!entry.username)
      return { allowed: false, status: 401, message: "the token is not valid (TokenReview)" };
    if (!allowed.has(entry.username))
      return {
        allowed: false,
        status: 403,
        message: `${entry.username} may not call this Integration's actions: list it in spec.actionAPI.allowedServiceAccounts`,
      };
    return { allowed: true, caller: entry.username };
  };
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
