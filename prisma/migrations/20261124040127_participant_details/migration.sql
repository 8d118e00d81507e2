-- AlterTable
ALTER TABLE "Participant" ADD COLUMN     "details" JSONB;
