-- AlterTable
ALTER TABLE "Host" ADD COLUMN "hostKeyFingerprint" TEXT;
ALTER TABLE "Host" ADD COLUMN "hostKeyPinnedAt" DATETIME;
