-- CreateEnum
CREATE TYPE "CertificateKind" AS ENUM ('PRIZE', 'AUDIENCE_PRIZE', 'UNIT_PRIZE', 'PARTICIPATION');

-- CreateTable
CREATE TABLE "Certificate" (
    "id" UUID NOT NULL,
    "contestId" UUID NOT NULL,
    "scope" TEXT NOT NULL,
    "kind" "CertificateKind" NOT NULL,
    "holderKey" TEXT NOT NULL,
    "participantId" UUID,
    "unitId" UUID,
    "serial" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "roundNumber" INTEGER,
    "holderName" TEXT NOT NULL,
    "unitName" TEXT,
    "prize" TEXT,
    "detail" TEXT NOT NULL,
    "issuedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Certificate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_code_key" ON "Certificate"("code");

-- CreateIndex
CREATE INDEX "Certificate_participantId_idx" ON "Certificate"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_contestId_scope_kind_holderKey_key" ON "Certificate"("contestId", "scope", "kind", "holderKey");

-- CreateIndex
CREATE UNIQUE INDEX "Certificate_contestId_serial_key" ON "Certificate"("contestId", "serial");

-- AddForeignKey
ALTER TABLE "Certificate" ADD CONSTRAINT "Certificate_contestId_fkey" FOREIGN KEY ("contestId") REFERENCES "Contest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
