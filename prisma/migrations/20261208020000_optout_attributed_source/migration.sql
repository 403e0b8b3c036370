-- AlterTable
ALTER TABLE "optout_events" ADD COLUMN "attributed_source_id" UUID;

-- The source of each attributed registration, for opt-outs received before this column.
UPDATE "optout_events" AS o SET "attributed_source_id" = r."source_id"
FROM "registrations" AS r
WHERE r."id" = o."registration_id" AND r."org_id" = o."org_id";
