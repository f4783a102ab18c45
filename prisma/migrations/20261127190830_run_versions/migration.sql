-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Run" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "planId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "planSnapshot" TEXT NOT NULL,
    "planHash" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "Run_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Run" ("createdAt", "error", "finishedAt", "id", "kind", "planHash", "planId", "planSnapshot", "startedAt", "status") SELECT "createdAt", "error", "finishedAt", "id", "kind", "planHash", "planId", "planSnapshot", "startedAt", "status" FROM "Run";
DROP TABLE "Run";
ALTER TABLE "new_Run" RENAME TO "Run";
CREATE INDEX "Run_planId_createdAt_idx" ON "Run"("planId", "createdAt");
CREATE TABLE "new_StepRun" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "runId" TEXT NOT NULL,
    "stepKey" TEXT NOT NULL,
    "hostId" TEXT NOT NULL,
    "hostName" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "exitCode" INTEGER,
    "error" TEXT,
    "result" TEXT,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "StepRun_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_StepRun" ("attempt", "error", "exitCode", "finishedAt", "hostId", "hostName", "id", "position", "result", "runId", "startedAt", "status", "stepKey") SELECT "attempt", "error", "exitCode", "finishedAt", "hostId", "hostName", "id", "position", "result", "runId", "startedAt", "status", "stepKey" FROM "StepRun";
DROP TABLE "StepRun";
ALTER TABLE "new_StepRun" RENAME TO "StepRun";
CREATE INDEX "StepRun_runId_idx" ON "StepRun"("runId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
