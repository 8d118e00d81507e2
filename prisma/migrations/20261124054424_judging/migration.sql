-- AlterTable
ALTER TABLE "ConsoleUser" ADD COLUMN     "homeUnitCode" TEXT,
ADD COLUMN     "juryLevel" INTEGER;

-- CreateTable
CREATE TABLE "Judgement" (
    "id" UUID NOT NULL,
    "entryId" UUID NOT NULL,
    "level" INTEGER NOT NULL,
    "judgeId" UUID NOT NULL,
    "scores" JSONB NOT NULL,
    "total" DOUBLE PRECISION NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Judgement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LevelResult" (
    "entryId" UUID NOT NULL,
    "level" INTEGER NOT NULL,
    "unitId" UUID,
    "score" DOUBLE PRECISION NOT NULL,
    "judgements" INTEGER NOT NULL,
    "rank" INTEGER NOT NULL,
    "advanced" BOOLEAN NOT NULL,

    CONSTRAINT "LevelResult_pkey" PRIMARY KEY ("entryId","level")
);

-- CreateIndex
CREATE INDEX "Judgement_level_idx" ON "Judgement"("level");

-- CreateIndex
CREATE UNIQUE INDEX "Judgement_entryId_level_judgeId_key" ON "Judgement"("entryId", "level", "judgeId");
