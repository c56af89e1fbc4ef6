import {
  connectorCategories,
  credentialTypes,
  enforcements,
  governedKinds,
  maturities,
  verificationSchemes,
} from "./enumerations.js";
import { labelSelector } from "./label-selector.js";
import { rateLimit } from "./rate-limit.js";
import type { Schema } from "./schema-builders.js";
import {
  dnsLabel,
  enumeration,
  hostGlob,
  integer,
  keyedList,
  labelKey,
  labelValue,
  named,
  object,
  oneOfFields,
  rule,
  semverRange,
  set,
  string,
} from "./schema-builders.js";

/** Field names `secretsByReference` treats as secrets when a rule names none. */
export const defaultSecretFieldNames = [
  "*password*",
  "*secret*",
  "*token*",
  "*apikey*",
  "*api_key*",
  "*privatekey*",
  "*private_key*",
] as const;

const globs = (description: string, maxLength = 253): Schema =>
  set(description, string("A name, or a glob with `*`.", { minLength: 1, maxLength }), { maxItems: 256 });

function allowDeny(description: string, item: Schema): Schema {
  return object(
    description,
    {
      allowed: set("Only these are allowed; anything else violates the rule.", item, { maxItems: 256 }),
      denied: set("These violate the rule.", item, { maxItems: 256 }),
    },
    [],
    {
      "x-kubernetes-validations": [
        rule("has(self.allowed) || has(self.denied)", "set allowed, denied or both"),
      ],
    },
  );
}

/** The checks a rule can make; a rule sets exactly one. Order is the order `kubectl explain` shows. */
const checks: Record<string, Schema> = {
  connectors: allowDeny(
    "Connectors Integrations may use, by name (`github`, `aws-*`).",
    string("A connector name or glob.", { minLength: 1, maxLength: 63 }),
  ),
  categories: allowDeny(
    "Connector categories Integrations may use.",
    enumeration("A category.", connectorCategories),
  ),
  minimumMaturity: enumeration(
    "The least mature connector an Integration may use; deprecated connectors always violate it.",
    maturities.filter((m) => m !== "deprecated"),
  ),
  connectorVersions: keyedList(
    "Versions of connectors Integrations may resolve to.",
    object(
      "Allowed versions of some connectors.",
      {
        connector: string("A connector name or glob.", { minLength: 1, maxLength: 63 }),
        range: string("A semver range the resolved version must satisfy, e.g. `>=2.0.0`.", {
          pattern: semverRange,
          maxLength: 128,
        }),
      },
      ["connector", "range"],
    ),
    ["connector"],
    { minItems: 1, maxItems: 64 },
  ),
  requiredLabels: keyedList(
    "Labels objects must carry, e.g. an owner and a data classification.",
    object(
      "A required label.",
      {
        key: string("The label key.", { pattern: labelKey, maxLength: 317 }),
        allowedValues: set(
          "The values allowed; any value when unset.",
          string("A value.", { pattern: labelValue, maxLength: 63 }),
          {
            maxItems: 64,
          },
        ),
      },
      ["key"],
    ),
    ["key"],
    { minItems: 1, maxItems: 32 },
  ),
  egressHosts: object(
    "Hosts Integrations may call: the connector's egress hosts, the Integration's allowed hosts and its sinks.",
    {
      allowed: set(
        "Host names or `*.example.com` globs.",
        string("A host or glob.", { pattern: hostGlob, maxLength: 253 }),
        { maxItems: 256 },
      ),
    },
    ["allowed"],
  ),
  authTypes: object(
    "Credential types allowed.",
    { allowed: set("The types.", enumeration("A type.", credentialTypes), { minItems: 1, maxItems: 16 }) },
    ["allowed"],
  ),
  inboundVerification: object(
    "Inbound webhooks must be verified: the connector's scheme is not `none`. Set as `{}` to require any scheme.",
    {
      allowedSchemes: set(
        "Only these schemes are allowed.",
        enumeration(
          "A scheme.",
          verificationSchemes.filter((s) => s !== "none"),
        ),
        { maxItems: 16 },
      ),
    },
  ),
  secretsByReference: object(
    "Secret values only by reference (Credentials and secretRefs): an Integration's config or a connector's config defaults holding a field whose name looks like a secret violates it. Set as `{}` for the default names.",
    {
      fieldNames: set(
        "Field name globs, matched case-insensitively, that look like secrets.",
        string("A glob.", { minLength: 1, maxLength: 63 }),
        {
          maxItems: 64,
          default: [...defaultSecretFieldNames],
        },
      ),
    },
  ),
  limits: object(
    "Upper bounds on what an Integration may ask for.",
    {
      maxReplicas: integer("The most runtime replicas.", { minimum: 0, maximum: 1000, format: "int32" }),
      maxRate: rateLimit(
        "The highest outbound rate; the connector's documented rate counts when the Integration sets none.",
      ),
      maxFlows: integer("The most flows.", { minimum: 0, maximum: 64, format: "int32" }),
    },
    [],
    {
      "x-kubernetes-validations": [
        rule("has(self.maxReplicas) || has(self.maxRate) || has(self.maxFlows)", "set at least one limit"),
      ],
    },
  ),
  personalData: object(
    "Personal data (GDPR): for Integrations labelled as handling it, these fields are redacted or dropped before any event leaves the cluster.",
    {
      classificationLabel: string("The label that classifies an Integration's data.", {
        default: "switchboard.dev/data-classification",
        pattern: labelKey,
        maxLength: 317,
      }),
      classifications: set(
        "Label values that mean personal data.",
        string("A value.", { pattern: labelValue, maxLength: 63 }),
        {
          default: ["personal"],
          minItems: 1,
          maxItems: 16,
        },
      ),
      redact: globs(
        "Paths of fields to replace with `[REDACTED]`, e.g. `user.email`; `*` matches one segment.",
        256,
      ),
      drop: globs("Paths of fields to remove.", 256),
    },
    [],
    { "x-kubernetes-validations": [rule("has(self.redact) || has(self.drop)", "set redact, drop or both")] },
  ),
  customConnectors: object(
    "Namespaces whose Integrations may use namespaced Connectors; elsewhere only ClusterConnectors may be used. `{}` allows none.",
    {
      namespaces: set(
        "Namespace names or globs.",
        string("A name or glob.", { minLength: 1, maxLength: 63 }),
        { maxItems: 256 },
      ),
      namespaceSelector: labelSelector("Namespaces, by label."),
    },
  ),
};

export const policyRuleChecks = Object.keys(checks);

export const policyRule: Schema = named(
  "PolicyRule",
  object(
    "One rule: a check, and what happens when an object fails it.",
    {
      name: string("The rule's name, unique in the policy; violations name it.", {
        pattern: dnsLabel,
        maxLength: 63,
      }),
      enforcement: enumeration(
        "`deny` rejects the object, `warn` admits it with a warning, `audit` admits it and records the violation in the policy's status.",
        enforcements,
        { default: "deny" },
      ),
      message: string("Added to every violation: how to comply, whom to ask.", { maxLength: 1024 }),
      kinds: set(
        "The kinds the rule is checked on; every kind its check concerns when unset.",
        enumeration("A kind.", governedKinds),
        { maxItems: 4 },
      ),
      ...checks,
    },
    ["name"],
    {
      "x-kubernetes-validations": [
        oneOfFields(policyRuleChecks, `a rule sets exactly one check: ${policyRuleChecks.join(", ")}`),
      ],
    },
  ),
);
