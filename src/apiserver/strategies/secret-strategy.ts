import { ApiError } from "../api-error.js";
import type { KubeObject } from "../types.js";
import type { KindStrategy } from "./kind-strategy.js";

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `stringData` is write-only: merged into `data` as base64, as kube's Secret strategy does. */
function normalize(secret: KubeObject): void {
  const data = { ...((secret.data as Record<string, unknown> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(data)) {
    if (typeof value !== "string" || value.length % 4 !== 0 || !base64.test(value)) {
      throw ApiError.badRequest(
        `Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0 (data[${key}])`,
      );
    }
  }
  const stringData = secret.stringData as Record<string, unknown> | undefined;
  if (stringData) {
    for (const [key, value] of Object.entries(stringData))
      data[key] = Buffer.from(String(value)).toString("base64");
    delete secret.stringData;
  }
  if (Object.keys(data).length > 0) secret.data = data;
  secret.type ??= "Opaque";
}

export const secretStrategy: KindStrategy = {
  prepareForCreate: (secret) => normalize(secret),
  prepareForUpdate: (secret, old) => {
    normalize(secret);
    if (secret.immutable === undefined && old.immutable !== undefined) secret.immutable = old.immutable;
  },
  validate: (secret, old) => {
    if (old && old.type !== secret.type) {
      return [
        {
          reason: "FieldValueInvalid",
          field: "type",
          message: `Invalid value: "${String(secret.type)}": field is immutable`,
        },
      ];
    }
    if (old?.immutable === true && JSON.stringify(old.data) !== JSON.stringify(secret.data)) {
      return [
        {
          reason: "FieldValueForbidden",
          field: "data",
          message: "Forbidden: field is immutable when `immutable` is set",
        },
      ];
    }
    return [];
  },
};
