-- DropForeignKey
ALTER TABLE "contact_reporter_groups" DROP CONSTRAINT "contact_reporter_groups_org_id_fkey";
