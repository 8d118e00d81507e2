-- CreateTable
CREATE TABLE "ZaloState" (
    "id" TEXT NOT NULL DEFAULT 'oa',
    "accessToken" TEXT,
    "refreshToken" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3),
    "buttonsUnsupported" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ZaloState_pkey" PRIMARY KEY ("id")
);
