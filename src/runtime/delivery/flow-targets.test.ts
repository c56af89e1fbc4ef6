import { describe, expect, it } from "vitest";
import type { FlowOutput } from "../flows/compile-flows.js";
import { sinkRequest } from "./flow-targets.js";

const output: FlowOutput = {
  body: { title: "Broken build" },
  idempotencyKey: "d-1:to-sink",
  cloudEvent: () =>
    Promise.resolve({
      specversion: "1.0",
      id: "d-1",
      source: "http://github.team-a.svc/webhook",
      type: "com.github.push",
      time: "2026-11-25T10:00:00.000Z",
      datacontenttype: "application/json",
      data: { title: "Broken build" },
    }),
};
const now = new Date("2026-11-25T10:00:00Z");

describe("what a sink receives", () => {
  it("sends the output as JSON with the sink's headers, the idempotency key and traceparent", async () => {
    const request = await sinkRequest(
      { url: "https://sink.example.com/events", headers: { "x-route": "audit" } },
      output,
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      new Map(),
      now,
    );
    expect(request.url.toString()).toBe("https://sink.example.com/events");
    expect(request.headers).toEqual({
      "x-route": "audit",
      "content-type": "application/json",
      "idempotency-key": "d-1:to-sink",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    });
    expect(JSON.parse(request.body)).toEqual({ title: "Broken build" });
  });

  it("sends a CloudEvent in binary mode as ce- headers around the data", async () => {
    const request = await sinkRequest(
      { url: "https://sink.example.com/", mode: "cloudevents-binary" },
      output,
      undefined,
      new Map(),
      now,
    );
    expect(request.headers).toMatchObject({ "ce-type": "com.github.push", "ce-id": "d-1" });
    expect(JSON.parse(request.body)).toEqual({ title: "Broken build" });
  });

  it("signs a Standard Webhooks delivery with the mounted secret, and refuses without one", async () => {
    const sink = {
      url: "https://sink.example.com/",
      mode: "standard-webhooks" as const,
      secretRef: { name: "sink", key: "key" },
    };
    const request = await sinkRequest(
      sink,
      output,
      undefined,
      new Map([["sink/key", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]]),
      now,
    );
    expect(request.headers).toMatchObject({
      "webhook-id": "d-1:to-sink",
      "webhook-timestamp": String(now.getTime() / 1000),
    });
    expect(request.headers["webhook-signature"]).toMatch(/^v1,/);
    await expect(sinkRequest(sink, output, undefined, new Map(), now)).rejects.toThrow(
      "sink sink.example.com: standard-webhooks needs secretRef, and its secret is not mounted",
    );
  });
});
