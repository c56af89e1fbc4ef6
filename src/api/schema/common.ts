import type { Schema } from "./schema-builders.js";
import {
  array,
  dnsSubdomain,
  enumeration,
  integer,
  keyedList,
  object,
  string,
  stringMap,
} from "./schema-builders.js";

/** metav1.Condition, exactly as Kubernetes defines it, so kstatus, Argo CD and Flux read it. */
export const condition: Schema = object(
  "Condition contains details for one aspect of the current state of this resource.",
  {
    type: string("Type of condition in CamelCase or in foo.example.com/CamelCase.", {
      maxLength: 316,
      pattern:
        "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$",
    }),
    status: enumeration("Status of the condition, one of True, False, Unknown.", [
      "True",
      "False",
      "Unknown",
    ]),
    observedGeneration: integer("The .metadata.generation that the condition was set based upon.", {
      format: "int64",
      minimum: 0,
    }),
    lastTransitionTime: string("The last time the condition transitioned from one status to another.", {
      format: "date-time",
    }),
    reason: string(
      "A programmatic identifier, in CamelCase, for the reason of the condition's last transition.",
      {
        maxLength: 1024,
        minLength: 1,
        pattern: "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$",
      },
    ),
    message: string("A human readable message indicating details about the transition. May be empty.", {
      maxLength: 32768,
    }),
  },
  ["type", "status", "lastTransitionTime", "reason", "message"],
);

export const conditions: Schema = keyedList(
  "The latest observations of the resource's state, `Ready` first among them.",
  condition,
  ["type"],
  {
    maxItems: 16,
  },
);

export const observedGeneration: Schema = integer("The .metadata.generation the controller last acted on.", {
  format: "int64",
  minimum: 0,
});

/** metav1.LabelSelector. */
export function labelSelector(description: string): Schema {
  return object(
    description,
    {
      matchLabels: stringMap("Labels that must all be present with these values."),
      matchExpressions: array(
        "Label requirements that must all hold.",
        object(
          "A label requirement.",
          {
            key: string("The label key."),
            operator: enumeration("How the key relates to the values.", [
              "In",
              "NotIn",
              "Exists",
              "DoesNotExist",
            ]),
            values: array(
              "Values for In and NotIn; empty for Exists and DoesNotExist.",
              string("A label value."),
              {
                "x-kubernetes-list-type": "atomic",
              },
            ),
          },
          ["key", "operator"],
        ),
        { "x-kubernetes-list-type": "atomic" },
      ),
    },
    [],
    { "x-kubernetes-map-type": "atomic" },
  );
}

/** A reference to a Secret in the same namespace, by name. */
export function secretName(description: string): Schema {
  return string(description, { pattern: dnsSubdomain, maxLength: 253 });
}
