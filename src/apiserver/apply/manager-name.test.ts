import { describe, expect, it } from "vitest";
import { isApiError } from "../api-error.js";
import type { WriteVerb } from "./manager-name.js";
import { defaultFieldManager, validateFieldManager } from "./manager-name.js";

describe("the default field manager (kube's prefixFromUserAgent)", () => {
  it.each([
    ["kubectl/v1.31.0 (linux/amd64) kubernetes/abcdef", "kubectl"],
    [
      "kube-controller-manager/v1.31.0 (linux/amd64) kubernetes/abcdef/system:serviceaccount:x",
      "kube-controller-manager",
    ],
    ["node-fetch", "node-fetch"],
    ["bad\u0007name/1", "badname"],
    [undefined, ""],
    ["x".repeat(200), "x".repeat(128)],
  ])("%j is %j", (userAgent, manager) => {
    expect(defaultFieldManager(userAgent)).toBe(manager);
  });
});

describe("fieldManager validation (ValidatePatchOptions and friends)", () => {
  function rejection(verb: WriteVerb, manager: string | undefined, force?: boolean): unknown {
    try {
      validateFieldManager(verb, manager, force);
    } catch (error) {
      if (isApiError(error)) return error.toStatus();
      throw error;
    }
    return undefined;
  }

  it("requires a manager for apply, with kube's 422", () => {
    expect(rejection("apply", undefined)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      reason: "Invalid",
      details: {
        name: "",
        group: "meta.k8s.io",
        kind: "PatchOptions",
        causes: [
          {
            reason: "FieldValueRequired",
            message: "Required value: is required for apply patch",
            field: "fieldManager",
          },
        ],
      },
      code: 422,
    });
  });

  it.each<[WriteVerb, string | undefined, boolean | undefined, string | undefined]>([
    ["create", undefined, undefined, undefined],
    ["update", "kubectl-edit", undefined, undefined],
    ["apply", "x".repeat(128), true, undefined],
    [
      "create",
      "x".repeat(129),
      undefined,
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    ],
    [
      "update",
      "a\u0000b",
      undefined,
      'UpdateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\x00b": invalid character U+0000 (at position 1)',
    ],
    [
      "patch",
      "m",
      false,
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    ],
  ])("%s with %j (force %j)", (verb, manager, force, message) => {
    const status = rejection(verb, manager, force) as { message: string; code: number } | undefined;
    expect(status?.message).toBe(message);
    if (message) expect(status?.code).toBe(422);
  });
});
