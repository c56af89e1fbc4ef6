import { request } from "node:https";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { customResourceDefinitions } from "../../api/custom-resource-definitions.js";
import type { KubeObject } from "../../apiserver/types.js";
import { KubeClient } from "../../operator/kube/kube-client.js";
import { createCertificateAuthority } from "../../pki/certificate-authority.js";
import { issueServingCertificate } from "../../pki/serving-certificate.js";
import type { ApiServerFixture } from "../../../test/support/api-server-fixture.js";
import { startApiServer } from "../../../test/support/api-server-fixture.js";
import { AdmissionMetrics } from "./admission-metrics.js";
import { startAdmissionServer } from "./admission-server.js";
import { GovernanceCache } from "./governance-cache.js";
import { reviewObject } from "./review-object.js";

interface Answer {
  status: number;
  body: {
    kind?: string;
    response?: { uid: string; allowed: boolean; status?: { code: number; message: string } };
  };
}

const valid = () => ({
  apiVersion: "admission.k8s.io/v1",
  kind: "AdmissionReview",
  request: {
    uid: "705ab4f5-6393-11e8-b7cc-42010a800002",
    kind: { group: "switchboard.dev", version: "v1alpha1", kind: "Credential" },
    resource: { group: "switchboard.dev", version: "v1alpha1", resource: "credentials" },
    namespace: "default",
    name: "api",
    operation: "CREATE",
    userInfo: { username: "ada", groups: ["system:authenticated"] },
    object: {
      apiVersion: "switchboard.dev/v1alpha1",
      kind: "Credential",
      metadata: { name: "api", namespace: "default" },
      spec: { type: "bearer", secretRef: { name: "api" } },
    },
    oldObject: null,
    dryRun: false,
  },
});

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function mutate(value: unknown, next: () => number, depth = 0): unknown {
  const replacements = [null, 0, -1, 1e308, "", "x".repeat(10_000), [], {}, true, [1, [2, [3]]], { kind: 7 }];
  if (next() < 0.15 || depth > 6) return replacements[Math.floor(next() * replacements.length)];
  if (Array.isArray(value)) return value.map((v) => mutate(v, next, depth + 1));
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (next() < 0.1) continue;
      out[next() < 0.05 ? `${k}-renamed` : k] = mutate(v, next, depth + 1);
    }
    return out;
  }
  return value;
}

describe("the admission server under malformed, oversized and wrong input", () => {
  let api: ApiServerFixture;
  let cache: GovernanceCache;
  let server: Awaited<ReturnType<typeof startAdmissionServer>>;
  let ca: string;
  let dir: string;

  beforeAll(async () => {
    api = await startApiServer({ crds: customResourceDefinitions() as unknown as KubeObject[] });
    cache = new GovernanceCache(new KubeClient(api.kubeConfig), pino({ level: "silent" }));
    await cache.start();
    const authority = await createCertificateAuthority();
    const serving = await issueServingCertificate(authority, { ipAddresses: ["127.0.0.1"] });
    ca = authority.certPem;
    dir = await mkdtemp(join(tmpdir(), "switchboard-admission-"));
    await writeFile(join(dir, "tls.crt"), serving.chainPem);
    await writeFile(join(dir, "tls.key"), serving.keyPem);
    server = await startAdmissionServer({
      port: 0,
      host: "127.0.0.1",
      tls: { certFile: join(dir, "tls.crt"), keyFile: join(dir, "tls.key") },
      review: (r) => reviewObject(r, cache),
      metrics: new AdmissionMetrics(),
      log: pino({ level: "silent" }),
    });
  });
  afterAll(async () => {
    await server.close();
    cache.stop();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  const post = (body: string | Buffer, path = "/validate"): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port: server.port,
          method: "POST",
          path,
          ca,
          headers: { "content-type": "application/json" },
        },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Answer["body"] }),
          );
        },
      );
      req.on("error", reject);
      req.end(body);
    });

  it("answers a good review", async () => {
    const answer = await post(JSON.stringify(valid()));
    expect(answer.status).toBe(200);
    expect(answer.body.response).toMatchObject({ uid: valid().request.uid, allowed: true });
  });

  it("denies what is not JSON, too large, or not an AdmissionReview, saying what is wrong", async () => {
    const garbage = await post(Buffer.from([0xff, 0xfe, 0x00, 0x7b]));
    expect(garbage).toMatchObject({
      status: 400,
      body: { kind: "AdmissionReview", response: { allowed: false } },
    });
    expect(garbage.body.response?.status?.message).toMatch(/^the body is not JSON/);
    const huge = await post(Buffer.alloc(8 * 1024 * 1024, "a"));
    expect(huge.status).toBe(413);
    expect(huge.body.response?.status?.message).toMatch(/over \d+ bytes/);
    const cases: [unknown, string][] = [
      [[], "the body is not an AdmissionReview object"],
      [
        { ...valid(), apiVersion: "admission.k8s.io/v1beta1" },
        'apiVersion "admission.k8s.io/v1beta1" is not admission.k8s.io/v1',
      ],
      [{ ...valid(), request: { ...valid().request, uid: undefined } }, "request.uid is missing"],
      [
        { ...valid(), request: { ...valid().request, operation: "PATCH" } },
        'request.operation "PATCH" is not CREATE, UPDATE, DELETE or CONNECT',
      ],
      [{ ...valid(), request: { ...valid().request, object: "text" } }, "request.object is not an object"],
      [{ ...valid(), request: { ...valid().request, object: null } }, "request.object is missing for CREATE"],
      [
        {
          ...valid(),
          request: {
            ...valid().request,
            kind: { group: "", version: "v1", kind: "ConfigMap" },
            object: { apiVersion: "v1", kind: "ConfigMap", metadata: {} },
          },
        },
        "this webhook reviews Switchboard's kinds",
      ],
      [
        {
          ...valid(),
          request: { ...valid().request, kind: { group: "", version: "v1", kind: "Integration" } },
        },
        "not Credential sent as Integration",
      ],
    ];
    for (const [body, message] of cases) {
      const answer = await post(JSON.stringify(body));
      expect(answer.body.response?.allowed, message).toBe(false);
      expect(answer.body.response?.status?.message).toContain(message);
    }
  });

  it("survives a thousand mutated reviews and deep nesting, answering each with a review, and keeps serving", async () => {
    const next = random(42);
    for (let i = 0; i < 1000; i++) {
      const answer = await post(JSON.stringify(mutate(valid(), next)));
      expect(answer.body.kind).toBe("AdmissionReview");
      expect(typeof answer.body.response?.allowed).toBe("boolean");
    }
    const deep = `${"[".repeat(200_000)}${"]".repeat(200_000)}`;
    expect((await post(deep)).body.response?.allowed).toBe(false);
    expect((await post(JSON.stringify(valid()))).body.response?.allowed).toBe(true);
  }, 60_000);
});
