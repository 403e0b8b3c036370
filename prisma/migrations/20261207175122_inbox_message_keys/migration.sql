-- Inbox messages are keyed by RapidPro's message uuid, or by the integer id on servers older than
-- message uuids (rapidpro-api §5.9): current servers send no id. Existing rows keep their id as text.
ALTER TABLE "inbox_messages" RENAME COLUMN "rapidpro_id" TO "rapidpro_key";
ALTER TABLE "inbox_messages" ALTER COLUMN "rapidpro_key" SET DATA TYPE VARCHAR(36) USING "rapidpro_key"::text;
ALTER INDEX "inbox_messages_org_id_rapidpro_id_key" RENAME TO "inbox_messages_org_id_rapidpro_key_key";
