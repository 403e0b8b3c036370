-- DropIndex
DROP INDEX "identities_org_id_idx";

-- AlterTable
ALTER TABLE "identities" DROP CONSTRAINT "identities_pkey",
ADD CONSTRAINT "identities_pkey" PRIMARY KEY ("org_id", "id");
