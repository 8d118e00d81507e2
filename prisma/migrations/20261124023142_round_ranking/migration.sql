-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "queuedThrough" UUID,
ADD COLUMN     "recipientsQueued" BOOLEAN NOT NULL DEFAULT true;

-- CreateTable
CREATE TABLE "RoundRanking" (
    "roundId" UUID NOT NULL,
    "participantId" UUID NOT NULL,
    "audienceId" UUID,
    "score" INTEGER NOT NULL,
    "prediction" INTEGER,
    "predictionDiff" INTEGER,
    "durationMs" INTEGER NOT NULL,
    "submittedAt" TIMESTAMPTZ(3) NOT NULL,
    "rank" INTEGER NOT NULL,
    "audienceRank" INTEGER,
    "prize" TEXT,
    "audiencePrize" TEXT,

    CONSTRAINT "RoundRanking_pkey" PRIMARY KEY ("roundId","participantId")
);

-- Time-ordered ids (UUID version 7 layout) for rows written in bulk by SQL: appended at the
-- right edge of the primary key's index instead of at random places (1,000,000 result notices
-- go in about twice as fast). PostgreSQL 15 has no uuidv7() of its own.
CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
        PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
        FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$;

-- Rounds closed before this migration kept their individual rankings in Round.results: move
-- them into RoundRanking (audience places and prizes matched by participant), keep the units.
INSERT INTO "RoundRanking" ("roundId", "participantId", "audienceId", "score", "prediction", "predictionDiff",
  "durationMs", "submittedAt", "rank", "audienceRank", "prize", "audiencePrize")
SELECT r.id, (e->>'participantId')::uuid, p."audienceId", (e->>'score')::int, (e->>'prediction')::int,
  (e->>'predictionDiff')::int, (e->>'durationMs')::int, (e->>'submittedAt')::timestamptz, (e->>'rank')::int,
  (SELECT (x->>'rank')::int FROM "Audience" au, jsonb_array_elements(r.results->'individual'->au.code->'ranking') x
    WHERE au.id = p."audienceId" AND x->>'participantId' = e->>'participantId'),
  (SELECT x->>'prize' FROM jsonb_array_elements(r.results->'individual'->''->'prizes') x
    WHERE x->>'participantId' = e->>'participantId'),
  (SELECT x->>'prize' FROM "Audience" au, jsonb_array_elements(r.results->'individual'->au.code->'prizes') x
    WHERE au.id = p."audienceId" AND x->>'participantId' = e->>'participantId')
FROM "Round" r
CROSS JOIN LATERAL jsonb_array_elements(r.results->'individual'->''->'ranking') e
LEFT JOIN "Participant" p ON p.id = (e->>'participantId')::uuid
WHERE r.results ? 'individual';

UPDATE "Round" SET results = jsonb_build_object('units', results->'units') WHERE results ? 'individual';
