-- CreateTable
CREATE TABLE "PlanImage" (
    "planId" TEXT NOT NULL PRIMARY KEY,
    "fileName" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "diskFormat" TEXT NOT NULL,
    "loginUser" TEXT NOT NULL DEFAULT 'cirros',
    "uploadedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlanImage_planId_fkey" FOREIGN KEY ("planId") REFERENCES "Plan" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
