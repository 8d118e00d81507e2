-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "text" TEXT;
