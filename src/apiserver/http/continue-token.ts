import { ApiError } from "../api-error.js";

/** A list continuation in kube's shape: base64 of `{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}`. */
export function encodeContinue(revision: number, lastKey: string): string {
  return Buffer.from(
    JSON.stringify({ v: "meta.k8s.io/v1", rv: revision, start: `${lastKey}\u0000` }),
  ).toString("base64url");
}

export function decodeContinue(token: string): { revision: number; start: string } {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      v?: unknown;
      rv?: unknown;
      start?: unknown;
    };
    if (parsed.v !== "meta.k8s.io/v1" || typeof parsed.rv !== "number" || typeof parsed.start !== "string")
      throw new Error("shape");
    return { revision: parsed.rv, start: parsed.start };
  } catch {
    throw ApiError.badRequest("continue key is not valid: illegal base64 data at input byte 0");
  }
}
