-- CreateTable
CREATE TABLE "TelegramGroup" (
    "chatId" TEXT NOT NULL,
    "unitCode" TEXT NOT NULL,
    "setBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "TelegramGroup_pkey" PRIMARY KEY ("chatId")
);
