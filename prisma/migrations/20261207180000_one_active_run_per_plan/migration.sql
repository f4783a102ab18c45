-- One active (pending or running) run per plan and kind, enforced by the database rather than by
-- one server's memory. Written by hand: Prisma's schema cannot express a partial index (see the
-- comment on model Run in schema.prisma).

-- Two servers on one data directory could leave a plan with more than one active run. Only the
-- newest of them stays active (the next start marks it interrupted as usual); the older ones are
-- marked interrupted here, with their running steps, so the index can be created.
UPDATE "StepRun"
SET "status" = 'interrupted',
    "error" = 'Another run of this plan was started while this one was running.',
    "finishedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'),
    "version" = "version" + 1
WHERE "status" = 'running'
  AND "runId" IN (
    SELECT "id" FROM "Run" AS "older"
    WHERE "status" IN ('pending', 'running')
      AND EXISTS (
        SELECT 1 FROM "Run" AS "newer"
        WHERE "newer"."planId" = "older"."planId" AND "newer"."kind" = "older"."kind"
          AND "newer"."status" IN ('pending', 'running')
          AND ("newer"."createdAt" > "older"."createdAt" OR ("newer"."createdAt" = "older"."createdAt" AND "newer"."id" > "older"."id"))
      )
  );

UPDATE "Run"
SET "status" = 'interrupted',
    "error" = 'Another run of this plan was started while this one was running.',
    "finishedAt" = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'),
    "version" = "version" + 1
WHERE "status" IN ('pending', 'running')
  AND EXISTS (
    SELECT 1 FROM "Run" AS "newer"
    WHERE "newer"."planId" = "Run"."planId" AND "newer"."kind" = "Run"."kind"
      AND "newer"."status" IN ('pending', 'running')
      AND ("newer"."createdAt" > "Run"."createdAt" OR ("newer"."createdAt" = "Run"."createdAt" AND "newer"."id" > "Run"."id"))
  );

-- CreateIndex
CREATE UNIQUE INDEX "Run_one_active_per_plan" ON "Run"("planId", "kind") WHERE "status" IN ('pending', 'running');
