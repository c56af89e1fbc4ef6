import { conditions, observedGeneration, secretName } from "./common.js";
import type { Schema } from "./schema-builders.js";
import {
  array,
  boolean,
  dnsLabel,
  dnsSubdomain,
  duration,
  enumeration,
  freeform,
  integer,
  keyedList,
  number,
  object,
  rule,
  string,
} from "./schema-builders.js";

const target = object(
  "Where a flow sends what it produces: one of an action of this Integration, an action of another Integration in the namespace, or an HTTP sink.",
  {
    action: string("An action of this Integration's connector.", { maxLength: 63 }),
    integration: object(
      "An action of another Integration in the same namespace, called through its action API.",
      {
        name: string("The Integration.", { pattern: dnsSubdomain, maxLength: 253 }),
        action: string("Its action.", { maxLength: 63 }),
      },
      ["name", "action"],
    ),
    sink: object(
      "An HTTP endpoint that receives the events.",
      {
        url: string("The endpoint (https unless a policy allows otherwise).", {
          maxLength: 2048,
          pattern: "^https?://",
        }),
        mode: enumeration(
          "The envelope: CloudEvents structured or binary HTTP mode, Standard Webhooks (signed), or the plain JSON result.",
          ["cloudevents-structured", "cloudevents-binary", "standard-webhooks", "json"],
          { default: "cloudevents-structured" },
        ),
        secretRef: object(
          "The Secret with the signing key, for `standard-webhooks`.",
          {
            name: secretName("The Secret, in the Integration's namespace."),
            key: string("The key in the Secret.", { default: "secret", maxLength: 253 }),
          },
          ["name"],
        ),
      },
      ["url"],
      {
        "x-kubernetes-validations": [
          rule(
            "self.mode != 'standard-webhooks' || has(self.secretRef)",
            "standard-webhooks sinks need a secretRef",
          ),
        ],
      },
    ),
  },
  [],
  {
    "x-kubernetes-validations": [
      rule(
        "[has(self.action), has(self.integration), has(self.sink)].filter(x, x).size() == 1",
        "a target is exactly one of action, integration or sink",
      ),
    ],
  },
);

const flow = object(
  "A route for events: which ones, what to keep, how to shape them, where they go.",
  {
    name: string("The flow's name, unique in the Integration.", { pattern: dnsLabel, maxLength: 63 }),
    events: array(
      "Event type globs, e.g. `issues.*` or `*`.",
      string("A glob.", { maxLength: 256, minLength: 1 }),
      {
        minItems: 1,
        maxItems: 64,
      },
    ),
    filter: string("A JSONata expression over the event; the event passes when it is truthy.", {
      maxLength: 8192,
    }),
    transform: string("A JSONata expression producing the target's input from the event.", {
      maxLength: 65536,
    }),
    normalize: enumeration("An envelope to produce before the transform.", ["none", "cloudevents", "ocsf"], {
      default: "none",
    }),
    target,
  },
  ["name", "events", "target"],
);

const delivery = object(
  "How outbound calls behave: timeouts, retries, circuit breaking, rate limits, dead letters.",
  {
    timeout: duration("Time allowed for one attempt.", "10s"),
    retry: object(
      "Retries of failed attempts (network errors, 408, 425, 429, 5xx), with exponential backoff and jitter.",
      {
        maxAttempts: integer("Attempts in all, the first included.", {
          default: 8,
          minimum: 1,
          maximum: 100,
        }),
        initialBackoff: duration("Wait before the first retry.", "1s"),
        maxBackoff: duration("The longest wait between attempts.", "5m"),
        multiplier: number("How much the wait grows each time.", { default: 2, minimum: 1, maximum: 10 }),
        jitter: number("Random spread of each wait, as a fraction of it.", {
          default: 0.2,
          minimum: 0,
          maximum: 1,
        }),
        maxDuration: duration(
          "Time after which an event stops being retried and becomes a dead letter.",
          "24h",
        ),
      },
    ),
    circuitBreaker: object(
      "Stops calling a failing host for a while; events wait in the journal meanwhile.",
      {
        consecutiveFailures: integer("Failures in a row that open the circuit.", { default: 5, minimum: 1 }),
        halfOpenAfter: duration("How long the circuit stays open before one trial call.", "30s"),
      },
    ),
    rateLimit: object("A limit below the connector's documented one.", {
      requestsPerSecond: number("Sustained requests per second.", { minimum: 0 }),
      burst: integer("Requests allowed at once above the sustained rate.", { minimum: 1 }),
      concurrency: integer("Requests in flight at once.", { minimum: 1 }),
    }),
    deadLetters: object("Events whose delivery failed for good.", {
      enabled: boolean("Keep them for inspection and replay.", { default: true }),
      retention: duration("How long they are kept.", "168h"),
    }),
  },
);

const quantity = {
  "x-kubernetes-int-or-string": true,
  pattern:
    "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$",
};

export const integrationSpec: Schema = object(
  "One running integration: a connector, credentials, configuration, inbound webhooks and the flows between them.",
  {
    connectorRef: object(
      "The connector this Integration runs.",
      {
        kind: enumeration(
          "A ClusterConnector (the catalog) or a Connector in this namespace.",
          ["ClusterConnector", "Connector"],
          {
            default: "ClusterConnector",
          },
        ),
        name: string("The connector's name.", { pattern: dnsSubdomain, maxLength: 253 }),
        version: string(
          "A semver range (`^1.2`, `>=1.0.0 <2`, `1.x`, `*`); the highest installed match is used and pinned in status.",
          {
            default: "*",
            maxLength: 128,
          },
        ),
      },
      ["name"],
    ),
    credentialRef: object(
      "The Credential, in this namespace, used to call the vendor.",
      { name: string("The Credential's name.", { pattern: dnsSubdomain, maxLength: 253 }) },
      ["name"],
    ),
    config: freeform(
      "Settings validated against the connector's configSchema (e.g. an organization, a region, a subdomain).",
    ),
    webhook: object("Inbound webhooks from the vendor.", {
      enabled: boolean("Serve the webhook receiver.", { default: true }),
      path: string("The receiver's path.", {
        default: "/webhook",
        pattern: "^/[A-Za-z0-9/_.-]*$",
        maxLength: 256,
      }),
      secretRef: object(
        "The Secret with the verification secrets; several keys are accepted at once, for rotation.",
        {
          name: secretName("The Secret, in this namespace."),
          keys: array(
            "Keys of the Secret holding secrets, all accepted.",
            string("A key.", { maxLength: 253 }),
            {
              default: ["secret"],
              minItems: 1,
              maxItems: 8,
            },
          ),
        },
        ["name"],
      ),
      replayWindow: duration("How long a delivery id is remembered to drop duplicates and replays.", "10m"),
      maxBodyBytes: integer("The largest body accepted; larger ones get 413.", {
        default: 1048576,
        minimum: 1024,
        maximum: 33554432,
      }),
    }),
    flows: keyedList("Routes for events.", flow, ["name"], { maxItems: 64 }),
    delivery,
    replicas: integer("Runtime replicas (a PodDisruptionBudget is made above 1).", {
      default: 1,
      minimum: 0,
      maximum: 50,
    }),
    resources: object("Compute resources of the runtime container.", {
      requests: {
        type: "object",
        description: "Minimum resources, e.g. `cpu: 50m`.",
        additionalProperties: quantity,
      },
      limits: {
        type: "object",
        description: "Maximum resources, e.g. `memory: 256Mi`.",
        additionalProperties: quantity,
      },
    }),
    suspend: boolean("Scale the runtime to zero and stop delivering; events already received are kept.", {
      default: false,
    }),
  },
  ["connectorRef"],
);

export const integrationStatus: Schema = object("The observed state of the Integration.", {
  observedGeneration,
  conditions,
  connector: object("The connector version in use.", {
    kind: string("ClusterConnector or Connector."),
    name: string("The connector's name."),
    version: string("The resolved version, pinned until the range in spec allows another.", {
      maxLength: 64,
    }),
  }),
  webhookURL: string("Where the vendor should send webhooks.", { maxLength: 2048 }),
  replicas: integer("Runtime replicas that exist.", { minimum: 0 }),
  readyReplicas: integer("Runtime replicas that are ready.", { minimum: 0 }),
});
