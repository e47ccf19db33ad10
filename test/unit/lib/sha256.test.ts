import { describe, expect, it } from "vitest";
import { signBody } from "../../../src/lib/hmac.ts";
import { sha256Hex, toHex } from "../../../src/lib/sha256.ts";

describe("sha256Hex", () => {
  it.each([
    ["", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"],
    // UTF-8 bytes, not UTF-16 units.
    ["한글", "bd87f9bb68b67d2fa1cb82b6751820e946d5b1316d25d5fd96512fb4be44a2a8"],
  ])("hashes %j (FIPS 180-2 vectors)", async (text, hex) => {
    expect(await sha256Hex(text)).toBe(hex);
  });
});

describe("toHex", () => {
  it("writes two lowercase digits per byte, leading zeros kept", () => {
    expect(toHex(new Uint8Array([0, 15, 16, 255]))).toBe("000f10ff");
    expect(toHex(new Uint8Array([171, 205]).buffer)).toBe("abcd");
  });
});

describe("signBody", () => {
  it("matches GitHub's documented X-Hub-Signature-256 vector", async () => {
    expect(await signBody("It's a Secret to Everybody", "Hello, World!")).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
  });
});
