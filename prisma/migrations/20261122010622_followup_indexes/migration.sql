-- DropIndex
DROP INDEX "registrations_org_id_mother_id_idx";

-- DropIndex
DROP INDEX "subscriptions_org_id_identity_idx";

-- CreateIndex
CREATE INDEX "registrations_org_id_mother_id_stage_created_at_idx" ON "registrations"("org_id", "mother_id", "stage", "created_at");

-- CreateIndex
CREATE INDEX "subscriptions_org_id_identity_active_idx" ON "subscriptions"("org_id", "identity", "active");
