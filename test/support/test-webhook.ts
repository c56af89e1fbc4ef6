import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { createCertificateAuthority } from "../../src/pki/certificate-authority.js";
import { issueServingCertificate } from "../../src/pki/serving-certificate.js";

export interface ReceivedReview {
  request: {
    uid: string;
    operation: string;
    kind: { kind: string };
    resource: { resource: string };
    subResource?: string;
    namespace?: string;
    name: string;
    userInfo: { username: string };
    object: { metadata: { name?: string; labels?: Record<string, string> } } | null;
    dryRun: boolean;
  };
}

export interface TestWebhook {
  url: string;
  /** base64 PEM of the CA that signed its certificate, as a webhook configuration's caBundle. */
  caBundle: string;
  reviews: ReceivedReview[];
  /** What it answers; allowed by default. `hang` answers nothing. */
  answer: (review: ReceivedReview) => Record<string, unknown> | "hang";
  close(): Promise<void>;
}

/** An admission webhook over real HTTPS for the API server's tests: records each review, answers as told. */
export async function startTestWebhook(): Promise<TestWebhook> {
  const ca = await createCertificateAuthority();
  const serving = await issueServingCertificate(ca, { ipAddresses: ["127.0.0.1"], dnsNames: ["localhost"] });
  const webhook: TestWebhook = {
    url: "",
    caBundle: Buffer.from(ca.certPem).toString("base64"),
    reviews: [],
    answer: () => ({ allowed: true }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer({ cert: serving.certPem, key: serving.keyPem }, (request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const review = JSON.parse(body) as ReceivedReview;
      webhook.reviews.push(review);
      const answer = webhook.answer(review);
      if (answer === "hang") return;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          apiVersion: "admission.k8s.io/v1",
          kind: "AdmissionReview",
          response: { uid: review.request.uid, ...answer },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  webhook.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/validate`;
  return webhook;
}
