import { conditions, labelSelector, observedGeneration } from "./common.js";
import { connectorCategories, credentialTypes } from "./connector-spec.js";
import type { Schema } from "./schema-builders.js";
import {
  array,
  boolean,
  enumeration,
  integer,
  keyedList,
  number,
  object,
  rule,
  string,
} from "./schema-builders.js";

const names = (description: string): Schema =>
  array(description, string("A name or glob.", { maxLength: 253 }), { maxItems: 256 });
const allowDeny = (description: string, item: Schema): Schema =>
  object(description, {
    allowed: array("Only these are allowed.", item, { maxItems: 256 }),
    denied: array("These are refused.", item, { maxItems: 256 }),
  });

const ruleKinds = [
  "connectors",
  "categories",
  "minimumMaturity",
  "connectorVersions",
  "requiredLabels",
  "egressHosts",
  "authTypes",
  "inboundVerification",
  "secretsByReference",
  "limits",
  "personalData",
  "customConnectors",
];

const policyRule = object(
  "One rule; exactly one of its checks is set.",
  {
    name: string("The rule's name, unique in the policy; messages name it.", {
      pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
      maxLength: 63,
    }),
    enforcement: enumeration(
      "`deny` rejects, `warn` admits with a warning, `audit` admits and records the violation in status.",
      ["deny", "warn", "audit"],
      {
        default: "deny",
      },
    ),
    message: string("Added to the violation message: how to comply.", { maxLength: 1024 }),
    connectors: allowDeny(
      "Connectors (names, globs) that may or may not be used.",
      string("A name or glob.", { maxLength: 253 }),
    ),
    categories: allowDeny(
      "Connector categories that may or may not be used.",
      enumeration("A category.", connectorCategories),
    ),
    minimumMaturity: enumeration("The least mature connector allowed.", ["experimental", "beta", "stable"]),
    connectorVersions: object(
      "Connector versions allowed.",
      { range: string("A semver range.", { maxLength: 128 }) },
      ["range"],
    ),
    requiredLabels: keyedList(
      "Labels objects must carry (e.g. owner, data classification).",
      object(
        "A required label.",
        {
          key: string("The label key.", { maxLength: 317 }),
          allowedValues: array("Allowed values; any when empty.", string("A value.", { maxLength: 63 }), {
            maxItems: 64,
          }),
        },
        ["key"],
      ),
      ["key"],
      { maxItems: 32 },
    ),
    egressHosts: object(
      "Hosts integrations may call.",
      { allowed: names("Host names or `*.example.com` globs.") },
      ["allowed"],
    ),
    authTypes: object(
      "Credential types allowed.",
      { allowed: array("Allowed types.", enumeration("A type.", credentialTypes), { maxItems: 16 }) },
      ["allowed"],
    ),
    inboundVerification: boolean("Inbound webhooks must be verified (no `none` scheme)."),
    secretsByReference: boolean("Secrets only by reference (secretRef), never inline."),
    limits: object("Upper bounds.", {
      maxReplicas: integer("Most runtime replicas an Integration may ask for.", { minimum: 0 }),
      maxRequestsPerSecond: number("Highest outbound rate an Integration may set.", { minimum: 0 }),
    }),
    personalData: object(
      "Data classified as personal (GDPR) is redacted or dropped before it leaves the cluster.",
      {
        classificationLabel: string("The label that classifies an Integration's data.", {
          default: "switchboard.dev/data-classification",
          maxLength: 317,
        }),
        classifications: array(
          "Label values that mean personal data.",
          string("A value.", { maxLength: 63 }),
          { default: ["personal"], maxItems: 16 },
        ),
        redact: names("JSON paths of fields to redact."),
        drop: names("JSON paths of fields to drop."),
      },
    ),
    customConnectors: object(
      "Which namespaces may use namespaced Connectors.",
      { allowedNamespaces: names("Namespace names or globs.") },
      ["allowedNamespaces"],
    ),
  },
  ["name"],
  {
    "x-kubernetes-validations": [
      rule(
        `[${ruleKinds.map((k) => `has(self.${k})`).join(", ")}].filter(x, x).size() == 1`,
        `a rule sets exactly one of: ${ruleKinds.join(", ")}`,
      ),
    ],
  },
);

export const integrationPolicySpec: Schema = object(
  "Governance rules over Switchboard objects in the namespaces it selects.",
  {
    namespaceSelector: labelSelector(
      "Namespaces the policy applies to; all when empty. System namespaces are never selected.",
    ),
    objectSelector: labelSelector("Objects the policy applies to, by their labels; all when empty."),
    kinds: array(
      "Kinds the rules apply to; all Switchboard kinds when empty.",
      enumeration("A kind.", ["Integration", "Connector", "ClusterConnector", "Credential"]),
      {
        maxItems: 4,
        "x-kubernetes-list-type": "set",
      },
    ),
    rules: keyedList("The rules.", policyRule, ["name"], { minItems: 1, maxItems: 64 }),
  },
  ["rules"],
);

export const integrationPolicyStatus: Schema = object(
  "The observed state of the policy, with the findings of the periodic audit.",
  {
    observedGeneration,
    conditions,
    audit: object("The last audit of existing objects.", {
      lastRun: string("When it ran.", { format: "date-time" }),
      violationCount: integer("Violations found.", { minimum: 0 }),
      violations: array(
        "The first violations found.",
        object("A violation.", {
          kind: string("The object's kind."),
          namespace: string("The object's namespace."),
          name: string("The object's name."),
          rule: string("The rule it breaks."),
          enforcement: string("The rule's enforcement."),
          message: string("What is wrong.", { maxLength: 1024 }),
        }),
        { maxItems: 50 },
      ),
    }),
  },
);
