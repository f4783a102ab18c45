import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every TypeScript file of the app under these folders, tests left out (they may look at the rows). */
function sourceFiles(...roots: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (file !== path.join("server", "generated")) walk(file);
      } else if (/\.tsx?$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) files.push(file.split(path.sep).join("/"));
    }
  };
  roots.forEach(walk);
  return files.sort();
}

const importing = (pattern: RegExp, files: string[]) => files.filter((file) => pattern.test(readFileSync(file, "utf8")));

describe("the store boundary", () => {
  const files = sourceFiles("app", "components", "lib", "server", "scripts");

  it("keeps Prisma (its client and its generated types) inside server/store/ and server/db/", () => {
    const prisma = /from\s+["'][^"']*(?:db\/client|generated\/prisma[^"']*|@prisma\/[^"']*)["']/;
    const outside = importing(prisma, files).filter((file) => !file.startsWith("server/store/") && !file.startsWith("server/db/"));
    // Admin tools that work on the database file itself, and the test harness's own connections
    // (a second one to look at rows, and a process that races another for a run).
    expect(outside).toEqual(["scripts/create-migration.ts", "scripts/reset-auth.ts", "server/testing/createRunProcess.ts", "server/testing/testContext.ts"]);
  });

  it("keeps ssh2 inside server/ssh/ (the plan store checks keys through ssh/secretRules.ts)", () => {
    const outside = importing(/from\s+["']ssh2["']/, files).filter((file) => !file.startsWith("server/ssh/"));
    expect(outside).toEqual([]);
  });
});
