import { describe, expect, it } from "vitest";
import { type IngestError, publicError } from "../../../src/ingest/errors.ts";

describe("publicError: every ingest failure's HTTP answer", () => {
  it.each<[IngestError, number, string]>([
    [{ reason: "body_too_large" }, 413, "body too large (limit 256 KiB)"],
    [{ reason: "body_unreadable" }, 400, "body could not be read"],
    [{ reason: "secret_missing" }, 500, "relay misconfigured"],
    [{ reason: "config_invalid", problems: ['fallback[0]: unknown destination "x"'] }, 500, "relay misconfigured"],
    [{ reason: "signature_invalid" }, 401, "invalid signature"],
    [{ reason: "invalid_utf8" }, 400, "body is not valid UTF-8"],
    [{ reason: "invalid_json" }, 400, "body is not valid JSON"],
    [{ reason: "not_object" }, 400, "body must be a JSON object"],
    [{ reason: "missing_field", field: "type" }, 400, 'missing or empty string field "type"'],
    [{ reason: "field_too_long", field: "appCode" }, 400, 'field "appCode" is longer than 256 characters'],
    [{ reason: "storage_unavailable", step: "dedup_write" }, 503, "temporarily unavailable, retry later"],
  ])("%j → %i", (failure, status, error) => {
    expect(publicError(failure)).toEqual({ status, body: { error } });
  });

  it("never tells the caller the config problems or the failed step", () => {
    const answer = publicError({ reason: "config_invalid", problems: ["SLACK_OPS_URL: secret is not set"] });
    expect(JSON.stringify(answer)).not.toContain("SLACK_OPS_URL");
  });
});
