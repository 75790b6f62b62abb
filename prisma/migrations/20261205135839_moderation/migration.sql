-- Moderation: the audit log keeps names, more action types, a channel's default slow mode.
ALTER TYPE "ModerationActionType" ADD VALUE 'untimeout';
ALTER TYPE "ModerationActionType" ADD VALUE 'slow_mode';
ALTER TYPE "ModerationActionType" ADD VALUE 'chat_clear';
ALTER TYPE "ModerationActionType" ADD VALUE 'kick';
ALTER TYPE "ModerationActionType" ADD VALUE 'recording_delete';
ALTER TYPE "ModerationActionType" ADD VALUE 'blocked_terms';

-- AlterTable
ALTER TABLE "Channel" ADD COLUMN     "chatSlowSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "chatBlockedTerms" TEXT[] DEFAULT ARRAY[]::TEXT[];

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

-- CreateTable
CREATE TABLE "ChatReport" (
    "id" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "msgid" TEXT NOT NULL,
    "messageNick" TEXT NOT NULL,
    "messageText" TEXT NOT NULL,
    "reporterId" TEXT,
    "reporterName" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "resolvedByName" TEXT,

    CONSTRAINT "ChatReport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChatReport_msgid_reporterId_key" ON "ChatReport"("msgid", "reporterId");

-- CreateIndex
CREATE INDEX "ChatReport_channelId_resolvedAt_idx" ON "ChatReport"("channelId", "resolvedAt");

-- CreateIndex
CREATE INDEX "ChatReport_resolvedAt_createdAt_idx" ON "ChatReport"("resolvedAt", "createdAt");

-- AddForeignKey
ALTER TABLE "ChatReport" ADD CONSTRAINT "ChatReport_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatReport" ADD CONSTRAINT "ChatReport_reporterId_fkey" FOREIGN KEY ("reporterId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
