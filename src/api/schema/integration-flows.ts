import { normalizations, sinkModes } from "./enumerations.js";
import { localName, secretKey } from "./references.js";
import type { Schema } from "./schema-builders.js";
import {
  array,
  dnsLabel,
  enumeration,
  jsonata,
  keyedList,
  named,
  object,
  oneOfFields,
  rule,
  string,
  stringMap,
  url,
} from "./schema-builders.js";

const actionName = (description: string): Schema =>
  string(description, { pattern: "^[a-z][a-zA-Z0-9_-]*$", maxLength: 63 });

const sink = named(
  "HTTPSink",
  object(
    "An HTTP endpoint that receives the flow's output.",
    {
      url: url("The endpoint; https unless the Integration's egress allows plain http."),
      mode: enumeration(
        "The envelope: a CloudEvent in structured or binary HTTP mode, a signed Standard Webhooks delivery, or the transform's output as plain JSON.",
        sinkModes,
        { default: "cloudevents-structured" },
      ),
      secretRef: named(
        "SecretKeySelector",
        object(
          "The Secret, in the Integration's namespace, holding the signing secret (`whsec_...`) for `standard-webhooks`.",
          {
            name: localName("The Secret's name."),
            key: secretKey("The key in the Secret.", { default: "secret" }),
          },
          ["name"],
        ),
      ),
      headers: stringMap("Extra request headers, e.g. a routing key. Never secrets: use a signed mode."),
    },
    ["url"],
    {
      "x-kubernetes-validations": [
        rule(
          "self.mode != 'standard-webhooks' || has(self.secretRef)",
          "a standard-webhooks sink needs secretRef to sign with",
          { fieldPath: ".secretRef" },
        ),
      ],
    },
  ),
);

const target = named(
  "FlowTarget",
  object(
    "Where the flow's output goes: exactly one of an action of this Integration, an action of another Integration in the namespace, or an HTTP sink.",
    {
      action: actionName("An action of this Integration's connector; the output is its input."),
      integration: object(
        "An action of another Integration in this namespace, called through its action API.",
        {
          name: localName("The other Integration."),
          action: actionName("Its action."),
        },
        ["name", "action"],
      ),
      sink,
    },
    [],
    {
      "x-kubernetes-validations": [
        oneOfFields(
          ["action", "integration", "sink"],
          "a target is exactly one of action, integration or sink",
        ),
      ],
    },
  ),
);

const flow = named(
  "Flow",
  object(
    "A route for events: which ones, which to keep, how to shape them, and where they go.",
    {
      name: string("The flow's name, unique in the Integration; metrics and dead letters carry it.", {
        pattern: dnsLabel,
        maxLength: 63,
      }),
      events: array(
        "Event type globs, e.g. `issues.*`, or `*` for every event.",
        string("A glob.", { minLength: 1, maxLength: 256 }),
        { minItems: 1, maxItems: 64 },
      ),
      filter: jsonata("A JSONata expression over the event; the event goes on when it is truthy.", 8192),
      normalize: enumeration(
        "An envelope to wrap the event in before the transform: a CloudEvent, an OCSF object (the connector's mapping), or none.",
        normalizations,
        { default: "none" },
      ),
      transform: jsonata(
        "A JSONata expression producing the target's input from the (normalized) event; the event as is when unset.",
        65536,
      ),
      idempotencyKey: jsonata(
        "A JSONata expression for the idempotency key sent to the target; the delivery id and flow name when unset.",
        4096,
      ),
      target,
    },
    ["name", "events", "target"],
  ),
);

export const flows: Schema = keyedList("Routes for the events the Integration receives.", flow, ["name"], {
  maxItems: 64,
});
