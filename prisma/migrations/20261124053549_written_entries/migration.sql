-- CreateEnum
CREATE TYPE "EntryStatus" AS ENUM ('DRAFT', 'SUBMITTED', 'WITHDRAWN');

-- CreateTable
CREATE TABLE "Entry" (
    "id" UUID NOT NULL,
    "contestId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "status" "EntryStatus" NOT NULL DEFAULT 'DRAFT',
    "title" TEXT NOT NULL DEFAULT '',
    "body" TEXT NOT NULL DEFAULT '',
    "authors" JSONB NOT NULL DEFAULT '[]',
    "unitId" UUID,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "submittedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EntryFile" (
    "id" UUID NOT NULL,
    "entryId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "platform" "Platform" NOT NULL,
    "platformFileId" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "size" INTEGER,
    "storeKey" TEXT,
    "storedAt" TIMESTAMPTZ(3),

    CONSTRAINT "EntryFile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Entry_participantId_idx" ON "Entry"("participantId");

-- CreateIndex
CREATE UNIQUE INDEX "Entry_contestId_code_key" ON "Entry"("contestId", "code");

-- CreateIndex
CREATE UNIQUE INDEX "EntryFile_entryId_position_key" ON "EntryFile"("entryId", "position");

-- AddForeignKey
ALTER TABLE "Entry" ADD CONSTRAINT "Entry_contestId_fkey" FOREIGN KEY ("contestId") REFERENCES "Contest"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Entry" ADD CONSTRAINT "Entry_participantId_fkey" FOREIGN KEY ("participantId") REFERENCES "Participant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EntryFile" ADD CONSTRAINT "EntryFile_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "Entry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One draft per person at a time (Prisma cannot declare a partial index).
CREATE UNIQUE INDEX "Entry_one_draft_per_participant" ON "Entry"("participantId") WHERE status = 'DRAFT';
