-- AlterTable
ALTER TABLE "ConsoleUser" ADD COLUMN     "phone" TEXT;
