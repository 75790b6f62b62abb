-- CreateTable
CREATE TABLE "ChatMessage" (
    "id" TEXT NOT NULL,
    "msgid" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "userId" TEXT,
    "nick" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "replyTo" TEXT,
    "isAction" BOOLEAN NOT NULL DEFAULT false,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "ChatMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChatMessage_msgid_key" ON "ChatMessage"("msgid");

-- CreateIndex
CREATE INDEX "ChatMessage_channelId_sentAt_idx" ON "ChatMessage"("channelId", "sentAt");

-- AddForeignKey
ALTER TABLE "ChatMessage" ADD CONSTRAINT "ChatMessage_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "Channel"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatMessage" ADD CONSTRAINT "ChatMessage_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
