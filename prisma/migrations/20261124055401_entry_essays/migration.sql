-- AlterTable
ALTER TABLE "Entry" ADD COLUMN     "essays" JSONB NOT NULL DEFAULT '[]';
