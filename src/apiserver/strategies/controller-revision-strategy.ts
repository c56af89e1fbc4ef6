import { isDeepStrictEqual } from "node:util";
import type { FieldError } from "../types.js";
import type { KindStrategy } from "./kind-strategy.js";

/**
 * A ControllerRevision is an immutable snapshot, as kube's apps validation makes it: `data` never
 * changes after create, and `revision` is a non-negative number.
 */
export const controllerRevisionStrategy: KindStrategy = {
  validate(revision, old) {
    const errors: FieldError[] = [];
    const number = revision.revision;
    if (typeof number !== "number" || !Number.isInteger(number)) {
      errors.push({ reason: "FieldValueRequired", field: "revision", message: "Required value" });
    } else if (number < 0) {
      errors.push({
        reason: "FieldValueInvalid",
        field: "revision",
        message: `Invalid value: ${number}: must be greater than or equal to 0`,
      });
    }
    if (old && !isDeepStrictEqual(old.data, revision.data)) {
      errors.push({
        reason: "FieldValueInvalid",
        field: "data",
        message: "Invalid value: field is immutable",
      });
    }
    return errors;
  },
};
