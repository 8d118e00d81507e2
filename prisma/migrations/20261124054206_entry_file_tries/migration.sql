-- AlterTable
ALTER TABLE "EntryFile" ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "tries" INTEGER NOT NULL DEFAULT 0;
