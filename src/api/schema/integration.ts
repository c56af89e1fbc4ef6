import { conditions, observedGeneration } from "./conditions.js";
import { delivery } from "./delivery.js";
import { connectorKinds } from "./enumerations.js";
import { flows } from "./integration-flows.js";
import { localName, secretKey } from "./references.js";
import type { Schema } from "./schema-builders.js";
import {
  array,
  boolean,
  dnsLabel,
  duration,
  enumeration,
  freeform,
  hostGlob,
  integer,
  named,
  object,
  quantity,
  semver,
  semverRange,
  set,
  string,
  url,
} from "./schema-builders.js";

const connectorRef = named(
  "ConnectorReference",
  object(
    "The connector this Integration runs.",
    {
      kind: enumeration(
        "A ClusterConnector (the catalog) or a Connector in this namespace.",
        connectorKinds,
        {
          default: "ClusterConnector",
        },
      ),
      name: string("The connector's name.", { pattern: dnsLabel, maxLength: 63 }),
      version: string(
        "A semver range (`^1.2`, `>=1.0.0 <2`, `1.x`, `*`). The highest installed version in range is used and pinned in status; it moves only when a higher one in range is installed or the range changes.",
        { default: "*", pattern: semverRange, maxLength: 128 },
      ),
    },
    ["name"],
  ),
);

const webhook = named(
  "IntegrationWebhook",
  object("Inbound webhooks from the vendor, verified as the connector says.", {
    enabled: boolean("Serve the webhook receiver.", { default: true }),
    path: string("The receiver's path.", {
      default: "/webhook",
      pattern: "^/[A-Za-z0-9/_.-]*$",
      maxLength: 256,
    }),
    secretRef: named(
      "VerificationSecretRef",
      object(
        "The Secret, in this namespace, with the verification secrets. Each listed key holds one secret and all are accepted, so a new secret can be added before the old one is removed.",
        {
          name: localName("The Secret's name."),
          keys: array("Keys of the Secret, each holding a secret.", secretKey("A key."), {
            default: ["secret"],
            minItems: 1,
            maxItems: 8,
          }),
        },
        ["name"],
      ),
    ),
    replayWindow: duration("How long delivery ids are remembered to drop duplicates and replays.", "10m"),
    maxBodyBytes: integer("The largest body accepted; a larger one is answered 413.", {
      default: 1048576,
      minimum: 1024,
      maximum: 33554432,
    }),
    externalURL: url(
      "The URL the vendor calls, when a proxy or ingress makes it differ from status.webhookURL; schemes that sign the URL (twilio) need it.",
    ),
  }),
);

const egress = named(
  "EgressPolicy",
  object("Where the runtime may connect besides the connector's egress hosts.", {
    allowedHosts: set(
      "More hosts the runtime may call (sinks, self-hosted vendor instances); `*.example.com` matches any subdomain.",
      string("A host name or glob.", { pattern: hostGlob, maxLength: 253 }),
      { maxItems: 64 },
    ),
    allowPrivateNetworks: boolean(
      "Allow addresses in private, loopback and link-local ranges (e.g. an in-cluster sink). Cloud metadata addresses stay refused.",
      { default: false },
    ),
    allowInsecureHTTP: boolean("Allow plain http URLs.", { default: false }),
  }),
);

const actionAPI = named(
  "ActionAPI",
  object("The runtime's action API (`POST /actions/{name}`), used by other Integrations and workloads.", {
    enabled: boolean("Serve the action API.", { default: true }),
    allowedServiceAccounts: array(
      "ServiceAccounts allowed to call it, authenticated by their tokens. Other Integrations' flows call as their own ServiceAccount.",
      object(
        "A ServiceAccount.",
        {
          namespace: string("Its namespace; this Integration's when unset.", {
            pattern: dnsLabel,
            maxLength: 63,
          }),
          name: localName("Its name."),
        },
        ["name"],
      ),
      { maxItems: 32, "x-kubernetes-list-type": "atomic" },
    ),
  }),
);

const resources = named(
  "ResourceRequirements",
  object("Compute resources of the runtime container, as on any container.", {
    requests: {
      type: "object",
      description: "Minimum resources, e.g. `cpu: 50m`.",
      additionalProperties: quantity(),
      maxProperties: 16,
    },
    limits: {
      type: "object",
      description: "Maximum resources, e.g. `memory: 256Mi`.",
      additionalProperties: quantity(),
      maxProperties: 16,
    },
  }),
);

export const integrationSpec: Schema = named(
  "IntegrationSpec",
  object(
    "One running integration: a connector, credentials, configuration, inbound webhooks and the flows between them.",
    {
      connectorRef,
      credentialRef: named(
        "CredentialReference",
        object(
          "The Credential, in this namespace, used to call the vendor; its type must be one of the connector's auth schemes.",
          { name: localName("The Credential's name.") },
          ["name"],
        ),
      ),
      config: freeform(
        "Settings validated against the connector's configSchema (an organization, a region, a domain). Never secrets: those go in the Credential.",
      ),
      webhook,
      flows,
      delivery,
      egress,
      actionAPI,
      replicas: integer("Runtime replicas; above 1 a PodDisruptionBudget keeps one available.", {
        default: 1,
        minimum: 0,
        maximum: 50,
        format: "int32",
      }),
      resources,
      suspend: boolean(
        "Stop receiving and delivering: the runtime scales to zero; events already journaled are kept and delivered on resume.",
        { default: false },
      ),
    },
    ["connectorRef"],
  ),
);

export const integrationStatus: Schema = named(
  "IntegrationStatus",
  object("The observed state of the Integration.", {
    observedGeneration,
    conditions,
    connector: named(
      "ResolvedConnector",
      object("The connector version in use.", {
        kind: enumeration("ClusterConnector or Connector.", connectorKinds),
        name: string("The connector's name.", { maxLength: 63 }),
        version: string("The resolved version, pinned until the range in spec allows a higher one.", {
          pattern: semver,
          maxLength: 64,
        }),
      }),
    ),
    webhookURL: string("Where the vendor should send webhooks.", { maxLength: 2048 }),
    actionURL: string("The base URL of the action API inside the cluster.", { maxLength: 2048 }),
    replicas: integer("Runtime replicas that exist.", { minimum: 0, format: "int32" }),
    readyReplicas: integer("Runtime replicas that are ready.", { minimum: 0, format: "int32" }),
  }),
);
