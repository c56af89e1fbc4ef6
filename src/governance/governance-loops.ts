import type { Logger } from "pino";
import type { KubeClient } from "../operator/kube/kube-client.js";
import type { Integration } from "../api/types.js";
import type { PersonalDataRules } from "../runtime/flows/personal-data.js";
import type { SharedInformers } from "./admission/governance-cache.js";
import { GovernanceCache } from "./admission/governance-cache.js";
import { personalDataRules } from "./policy/personal-data-rules.js";
import { auditPolicies } from "./audit/policy-audit.js";
import type { WebhookCertificateSettings } from "./certificates/webhook-certificates.js";
import { ensureWebhookCertificates } from "./certificates/webhook-certificates.js";

export interface GovernanceSettings {
  /** How often existing objects are audited against the policies; 0 for never. @default 300000 */
  auditIntervalMs?: number;
  /** The admission webhook's certificates, when the operator manages them (not with cert-manager). */
  webhookCertificates?: WebhookCertificateSettings;
  /** How often the certificates are checked. @default 3600000 */
  certificateIntervalMs?: number;
}

/**
 * What the operator does for governance while it leads: the periodic policy audit and the webhook's
 * certificates. Its caches fill on every instance, so a new leader audits at once.
 */
export class GovernanceLoops {
  readonly cache: GovernanceCache;
  readonly #timers: NodeJS.Timeout[] = [];
  #running = false;

  /** `shared`: the operator's own informers, so the same objects are not watched twice. */
  constructor(
    readonly client: KubeClient,
    readonly settings: GovernanceSettings,
    readonly log: Logger,
    shared: SharedInformers = {},
  ) {
    this.cache = new GovernanceCache(client, log, { integrations: true, shared });
  }

  /** The personal data rules the policies in force give an Integration's runtime. */
  personalDataFor(integration: Integration): PersonalDataRules | undefined {
    return personalDataRules(
      this.cache.policies(),
      {
        kind: "Integration",
        namespace: integration.metadata?.namespace,
        name: integration.metadata?.name ?? "",
        labels: integration.metadata?.labels ?? {},
        spec: integration.spec,
      },
      this.cache.context(),
    );
  }

  startCaches(): Promise<void> {
    return this.cache.start();
  }

  /** Starts the loops; each runs once at once, then on its interval. */
  lead(): void {
    if (this.#running) return;
    this.#running = true;
    const auditInterval = this.settings.auditIntervalMs ?? 300_000;
    if (auditInterval > 0)
      this.#every(auditInterval, async () => {
        const result = await auditPolicies(this.cache, this.client, this.log);
        this.log.debug(result, "policy audit done");
      });
    const certificates = this.settings.webhookCertificates;
    if (certificates)
      this.#every(this.settings.certificateIntervalMs ?? 3_600_000, async () => {
        await ensureWebhookCertificates(this.client, certificates, this.log);
      });
  }

  stopLeading(): void {
    this.#running = false;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.length = 0;
  }

  stop(): void {
    this.stopLeading();
    this.cache.stop();
  }

  #every(intervalMs: number, run: () => Promise<void>): void {
    const tick = (): void => {
      if (!this.#running) return;
      run()
        .catch((error: unknown) =>
          this.log.error({ err: error }, "governance loop failed; trying again on schedule"),
        )
        .finally(() => {
          if (this.#running) this.#timers.push(setTimeout(tick, intervalMs));
        });
    };
    tick();
  }
}
