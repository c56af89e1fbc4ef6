import type { Schema } from "./schema-builders.js";
import { enumeration, integer, keyedList, named, object, string } from "./schema-builders.js";

/**
 * metav1.Condition exactly as Kubernetes publishes it (descriptions included), so kstatus, Argo CD and
 * Flux read Switchboard's conditions like any other.
 */
export const condition: Schema = named(
  "Condition",
  object(
    "Condition contains details for one aspect of the current state of this API Resource.",
    {
      lastTransitionTime: string(
        "lastTransitionTime is the last time the condition transitioned from one status to another. This should be when the underlying condition changed. If that is not known, then using the time when the API field changed is acceptable.",
        { format: "date-time" },
      ),
      message: string(
        "message is a human readable message indicating details about the transition. This may be an empty string.",
        { maxLength: 32768 },
      ),
      observedGeneration: integer(
        "observedGeneration represents the .metadata.generation that the condition was set based upon. For instance, if .metadata.generation is currently 12, but the .status.conditions[x].observedGeneration is 9, the condition is out of date with respect to the current state of the instance.",
        { format: "int64", minimum: 0 },
      ),
      reason: string(
        "reason contains a programmatic identifier indicating the reason for the condition's last transition. Producers of specific condition types may define expected values and meanings for this field, and whether the values are considered a guaranteed API. The value should be a CamelCase string. This field may not be empty.",
        { maxLength: 1024, minLength: 1, pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$" },
      ),
      status: enumeration("status of the condition, one of True, False, Unknown.", [
        "True",
        "False",
        "Unknown",
      ]),
      type: string("type of condition in CamelCase or in foo.example.com/CamelCase.", {
        maxLength: 316,
        pattern:
          "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
      }),
    },
    ["lastTransitionTime", "message", "reason", "status", "type"],
  ),
);

export const conditions: Schema = keyedList(
  "The latest observations of the object's state: `Ready`, and `Reconciling` or `Stalled` while they apply.",
  condition,
  ["type"],
  { maxItems: 32 },
);

export const observedGeneration: Schema = integer(
  "The .metadata.generation the controller last acted on; the status describes that generation.",
  { format: "int64", minimum: 0 },
);
