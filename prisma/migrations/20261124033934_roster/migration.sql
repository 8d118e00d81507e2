-- CreateTable
CREATE TABLE "RosterEntry" (
    "id" UUID NOT NULL,
    "contestId" UUID NOT NULL,
    "phone" TEXT NOT NULL,
    "fullName" TEXT NOT NULL,
    "unitId" UUID,
    "audienceId" UUID,
    "importedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RosterEntry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RosterEntry_unitId_idx" ON "RosterEntry"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "RosterEntry_contestId_phone_key" ON "RosterEntry"("contestId", "phone");

-- AddForeignKey
ALTER TABLE "RosterEntry" ADD CONSTRAINT "RosterEntry_contestId_fkey" FOREIGN KEY ("contestId") REFERENCES "Contest"("id") ON DELETE CASCADE ON UPDATE CASCADE;
