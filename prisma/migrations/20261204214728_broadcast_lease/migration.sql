-- AlterTable
ALTER TABLE "Broadcast" ADD COLUMN     "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "Broadcast_endedAt_lastSeenAt_idx" ON "Broadcast"("endedAt", "lastSeenAt");
