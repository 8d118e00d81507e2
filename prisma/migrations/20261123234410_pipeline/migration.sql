-- AlterTable
ALTER TABLE "InboundEvent" ADD COLUMN     "actorKey" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lockedBy" TEXT,
ADD COLUMN     "notBefore" TIMESTAMPTZ(3),
ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "platform" "Platform" NOT NULL,
    "chatId" TEXT NOT NULL,
    "eventId" UUID,
    "payload" JSONB NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "tries" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "notBefore" TIMESTAMPTZ(3),
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "OutboxMessage_platform_chatId_seq_idx" ON "OutboxMessage"("platform", "chatId", "seq");

-- CreateIndex
CREATE INDEX "OutboxMessage_status_createdAt_idx" ON "OutboxMessage"("status", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_eventId_idx" ON "OutboxMessage"("eventId");

-- CreateIndex
CREATE INDEX "InboundEvent_actorKey_seq_idx" ON "InboundEvent"("actorKey", "seq");

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "InboundEvent"("id") ON DELETE SET NULL ON UPDATE CASCADE;
