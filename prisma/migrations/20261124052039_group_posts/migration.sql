-- CreateEnum
CREATE TYPE "GroupPostStatus" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED');

-- CreateTable
CREATE TABLE "GroupPost" (
    "id" UUID NOT NULL,
    "chatId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" "GroupPostStatus" NOT NULL DEFAULT 'PENDING',
    "tries" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "lockedUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "GroupPost_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "GroupPost_status_idx" ON "GroupPost"("status");

-- CreateIndex
CREATE UNIQUE INDEX "GroupPost_chatId_key_key" ON "GroupPost"("chatId", "key");
