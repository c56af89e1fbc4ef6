import { conditions, observedGeneration } from "./conditions.js";
import { actions, authSchemes } from "./connector-actions.js";
import { connectorWebhook, events } from "./connector-webhook.js";
import { connectorCategories, maturities } from "./enumerations.js";
import { documentedRateLimit } from "./rate-limit.js";
import type { Schema } from "./schema-builders.js";
import {
  array,
  boolean,
  enumeration,
  freeform,
  hostGlob,
  integer,
  jsonata,
  keyedList,
  named,
  object,
  rule,
  semver,
  set,
  string,
  url,
} from "./schema-builders.js";

const ocsfMapping = named(
  "OCSFMapping",
  object(
    "How some events become one OCSF class.",
    {
      name: string("The mapping's name.", { pattern: "^[a-z][a-z0-9-]*$", maxLength: 63 }),
      events: array(
        "Event type globs the mapping applies to, e.g. `detection.*`.",
        string("A glob.", { minLength: 1, maxLength: 256 }),
        {
          minItems: 1,
          maxItems: 64,
        },
      ),
      classUid: integer("The OCSF class, e.g. 2001 (Security Finding) or 6003 (API Activity).", {
        minimum: 1,
        maximum: 999999,
      }),
      mapping: jsonata("A JSONata expression over the event producing the OCSF object."),
    },
    ["name", "events", "classUid", "mapping"],
  ),
);

const normalization = named(
  "Normalization",
  object("How events become normalized envelopes when a flow asks for one.", {
    cloudEvents: object("CloudEvents 1.0 attributes; each has a sensible value when unset.", {
      source: string(
        "The `source` attribute, a template over `config`; the Integration's webhook URL when unset.",
        {
          maxLength: 1024,
        },
      ),
      typePrefix: string("Put before the event type to make the `type` attribute, e.g. `com.github.`.", {
        maxLength: 256,
      }),
      subject: jsonata(
        "A JSONata expression for the `subject` attribute, e.g. `repository.full_name`.",
        4096,
      ),
      time: jsonata("A JSONata expression for the `time` attribute; the receive time when unset.", 4096),
    }),
    ocsfVersion: string("The OCSF schema version the mappings produce, e.g. `1.3.0`.", {
      pattern: semver,
      maxLength: 64,
    }),
    ocsf: keyedList(
      "OCSF mappings for security findings and audit activity; the first whose events match is used.",
      ocsfMapping,
      ["name"],
      { maxItems: 32 },
    ),
  }),
);

/**
 * The connector definition: one schema for catalog files (`connectors/<category>/<id>.yaml`),
 * ClusterConnectors and Connectors.
 */
export const connectorSpec: Schema = named(
  "ConnectorSpec",
  object(
    "A third-party system: how to authenticate to it, its API, the webhooks it sends and the actions it offers.",
    {
      displayName: string("The name people know the system by, e.g. `GitHub`.", {
        minLength: 1,
        maxLength: 128,
      }),
      vendor: string("The company or project behind the system.", { maxLength: 128 }),
      description: string("What the connector does.", { maxLength: 4096 }),
      category: enumeration(
        "The catalog category; policies can allow or deny categories.",
        connectorCategories,
      ),
      keywords: set("Words the catalog search matches.", string("A keyword.", { maxLength: 63 }), {
        maxItems: 32,
      }),
      version: string(
        "The version of this definition (Semantic Versioning). Integrations select versions with a range; a changed definition needs a new version.",
        { pattern: semver, maxLength: 64 },
      ),
      maturity: enumeration(
        "How far the connector can be trusted: experimental, beta, stable; or deprecated. Policies can require a minimum.",
        maturities,
        { default: "experimental" },
      ),
      deprecation: object(
        "Why the connector is deprecated; its users get a warning with this message.",
        {
          message: string("What users should do instead.", { minLength: 1, maxLength: 1024 }),
          replacedBy: string("The connector, or connector version, that replaces this one.", {
            maxLength: 253,
          }),
        },
        ["message"],
      ),
      documentation: array(
        "Links to the vendor documentation the definition was written from.",
        object(
          "A documentation link.",
          { title: string("What the page covers.", { maxLength: 256 }), url: url("The page.") },
          ["url"],
        ),
        { maxItems: 32 },
      ),
      baseURL: string("The API base URL, a template over `config`: `https://{config.domain}/api/v1`.", {
        pattern: "^https?://",
        maxLength: 2048,
      }),
      egressHosts: set(
        "Hosts the connector may call (`*.example.com` matches any subdomain); the runtime refuses every other host.",
        string("A host name or glob.", { pattern: hostGlob, maxLength: 253 }),
        { maxItems: 64 },
      ),
      configSchema: freeform(
        "A JSON Schema (draft 2020-12) for an Integration's `config`: the settings people give, such as an organization or a region. Never secrets: those go in a Credential.",
      ),
      auth: authSchemes,
      webhook: connectorWebhook,
      events,
      normalization,
      actions,
      healthCheck: object(
        "How a connection is tested (Credential checks, `switchboard connector test`).",
        {
          action: string("An action that needs no input, e.g. `get-current-user`.", {
            minLength: 1,
            maxLength: 63,
          }),
        },
        ["action"],
      ),
      rateLimits: documentedRateLimit(
        "The vendor's documented limit, applied to each Integration unless it sets a lower one.",
      ),
    },
    ["displayName", "category", "version"],
    {
      "x-kubernetes-validations": [
        rule(
          "self.maturity != 'deprecated' || has(self.deprecation)",
          "a deprecated connector needs deprecation.message",
          {
            fieldPath: ".deprecation",
          },
        ),
        rule(
          "!has(self.actions) || size(self.actions) == 0 || has(self.baseURL)",
          "a connector with actions needs a baseURL",
          {
            fieldPath: ".baseURL",
          },
        ),
        rule(
          "!has(self.healthCheck) || (has(self.actions) && self.actions.exists(a, a.name == self.healthCheck.action))",
          "healthCheck.action must name one of the connector's actions",
          { fieldPath: ".healthCheck.action" },
        ),
        rule(
          "!has(self.actions) || self.actions.all(a, !has(a.authScheme) || (has(self.auth) && self.auth.exists(s, s.name == a.authScheme)))",
          "every action's authScheme must name one of the connector's auth schemes",
          { fieldPath: ".actions" },
        ),
        rule(
          "!has(self.events) || size(self.events) == 0 || has(self.webhook)",
          "a connector that receives events needs webhook settings",
          { fieldPath: ".webhook" },
        ),
        rule(
          "!has(self.events) || size(self.events) <= 1 || (has(self.webhook) && has(self.webhook.eventType))",
          "a connector with several events needs webhook.eventType to tell them apart",
          { fieldPath: ".webhook" },
        ),
      ],
    },
  ),
);

export const connectorStatus: Schema = named(
  "ConnectorStatus",
  object("The observed state of the connector.", {
    observedGeneration,
    conditions,
    versions: keyedList(
      "The versions installed side by side, newest first. Each is an immutable ControllerRevision named `<connector>-<version>` (in the operator's namespace for a ClusterConnector). Deleting a revision removes its version; one that Integrations resolve to stays until none do.",
      named(
        "InstalledConnectorVersion",
        object(
          "One installed version.",
          {
            version: string("The version.", { pattern: semver, maxLength: 64 }),
            digest: string("The SHA-256 of the definition at this version; it must not change.", {
              pattern: "^sha256:[a-f0-9]{64}$",
              maxLength: 71,
            }),
            maturity: enumeration("The version's maturity.", maturities),
            integrations: integer("Integrations resolved to this version.", { minimum: 0, format: "int32" }),
            removalRequested: boolean(
              "The version's revision was deleted while Integrations use it; it goes once none do, and no Integration newly resolves to it.",
            ),
          },
          ["version"],
        ),
      ),
      ["version"],
      { maxItems: 64 },
    ),
    integrations: integer("Integrations using the connector, at any version.", {
      minimum: 0,
      format: "int32",
    }),
  }),
);
