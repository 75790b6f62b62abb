-- Moderation: the audit log keeps names, more action types, a channel's default slow mode.
ALTER TYPE "ModerationActionType" ADD VALUE 'untimeout';
ALTER TYPE "ModerationActionType" ADD VALUE 'slow_mode';
ALTER TYPE "ModerationActionType" ADD VALUE 'chat_clear';
ALTER TYPE "ModerationActionType" ADD VALUE 'kick';
ALTER TYPE "ModerationActionType" ADD VALUE 'recording_delete';

-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "chatSlowSeconds" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "ModerationAction" ADD COLUMN     "actorName" TEXT,
ADD COLUMN     "targetName" TEXT,
ADD COLUMN     "sourceEvent" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "ModerationAction_sourceEvent_key" ON "ModerationAction"("sourceEvent");

-- CreateIndex
CREATE INDEX "ChatBan_expiresAt_idx" ON "ChatBan"("expiresAt");

-- CreateIndex
CREATE INDEX "ModerationAction_actorId_createdAt_idx" ON "ModerationAction"("actorId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ModerationAction_action_createdAt_idx" ON "ModerationAction"("action", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "ModerationAction_createdAt_idx" ON "ModerationAction"("createdAt" DESC);

-- CreateTable
CREATE TABLE "RemovedRecording" (
    "recordingId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RemovedRecording_pkey" PRIMARY KEY ("recordingId")
);
