-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "results" JSONB;
