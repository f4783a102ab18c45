import { describe, expect, it } from "vitest";
import { safeNext } from "./safeNext";

describe("safeNext", () => {
  it("keeps a path on this site", () => {
    expect(safeNext("/runs/abc?tab=log")).toBe("/runs/abc?tab=log");
  });
  it("never sends the browser to another site or back to the sign-in page", () => {
    for (const next of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "", null, undefined, "/login?next=/"]) {
      expect(safeNext(next)).toBe("/");
    }
  });
});
