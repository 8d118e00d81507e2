-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "systemKey" TEXT;

-- Backfill: the oldest reminder / result-notice campaign of each round keeps its key, so an
-- upgraded server does not create them again.
UPDATE "Campaign" AS c SET "systemKey" = k.key
FROM (
  SELECT DISTINCT ON ("contestId", "audience"->>'kind', "audience"->>'round') "id",
    CASE "audience"->>'kind' WHEN 'roundReminder' THEN 'round-reminder:' ELSE 'round-notices:' END || ("audience"->>'round') AS key
  FROM "Campaign"
  WHERE "audience"->>'kind' IN ('roundReminder', 'roundParticipants')
  ORDER BY "contestId", "audience"->>'kind', "audience"->>'round', "createdAt"
) AS k
WHERE c."id" = k."id";

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_contestId_systemKey_key" ON "Campaign"("contestId", "systemKey");
