import { describe, expect, it } from "vitest";
import { loadTracingConfig } from "./tracing-config.ts";

describe("tracing is configured by OpenTelemetry's standard variables", () => {
  it("is off unless an OTLP endpoint is named, and an empty value counts as unset", () => {
    expect(loadTracingConfig({})).toEqual({ enabled: false });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "" })).toEqual({ enabled: false });
    expect(loadTracingConfig({ OTEL_SERVICE_NAME: "orders", OTEL_TRACES_SAMPLER: "always_on" })).toEqual({ enabled: false });
  });

  it("sends to the base endpoint's /v1/traces, or to the traces endpoint as given", () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318/" })).toMatchObject({
      enabled: true,
      url: "http://collector:4318/v1/traces",
      protocol: "http/protobuf",
      serviceName: "stepwise",
      sampler: "parentbased_always_on",
    });
    expect(
      loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://a:4318", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://b:9000/traces" }),
    ).toMatchObject({ url: "http://b:9000/traces" });
  });

  it("reads headers, resource attributes, the service name, the sampler and its ratio", () => {
    const config = loadTracingConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318",
      OTEL_EXPORTER_OTLP_HEADERS: "api-key=se%20cret, tenant=7",
      OTEL_RESOURCE_ATTRIBUTES: "service.name=from-resource,deployment.environment=prod",
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: "http/json",
    });
    expect(config).toMatchObject({
      headers: { "api-key": "se cret", tenant: "7" },
      resourceAttributes: { "deployment.environment": "prod" },
      serviceName: "from-resource",
      sampler: "parentbased_traceidratio",
      samplerArg: 0.25,
      protocol: "http/json",
    });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SERVICE_NAME: "orders" })).toMatchObject({
      serviceName: "orders",
    });
  });

  it("is switched off again by OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none", () => {
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" })).toEqual({ enabled: false });
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_TRACES_EXPORTER: "none" })).toEqual({ enabled: false });
  });

  it("refuses bad values, naming each variable", () => {
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector" })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
    expect(() => loadTracingConfig({ OTEL_TRACES_SAMPLER: "sometimes" })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => loadTracingConfig({ OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" })).toThrow(/grpc is not supported/);
    expect(() => loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_EXPORTER_OTLP_HEADERS: "novalue" })).toThrow(
      /OTEL_EXPORTER_OTLP_HEADERS/,
    );
  });
});
