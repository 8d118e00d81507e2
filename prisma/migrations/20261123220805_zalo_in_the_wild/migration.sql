-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "phoneVerified" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "pausedReason" TEXT;

-- AlterTable
ALTER TABLE "ZaloState" DROP COLUMN "buttonsUnsupported",
ADD COLUMN     "authError" TEXT,
ADD COLUMN     "buttonFallbackAt" TIMESTAMPTZ(3),
ADD COLUMN     "buttonFallbacks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "refreshedAt" TIMESTAMPTZ(3),
ADD COLUMN     "seedRefreshToken" TEXT;
