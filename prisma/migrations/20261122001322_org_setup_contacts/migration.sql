-- CreateEnum
CREATE TYPE "ContactStatus" AS ENUM ('active', 'blocked', 'stopped', 'archived', 'deleted');

-- CreateEnum
CREATE TYPE "ContactSyncState" AS ENUM ('synced', 'pending', 'failed');

-- CreateEnum
CREATE TYPE "FieldValueType" AS ENUM ('text', 'numeric', 'datetime', 'state', 'district', 'ward');

-- AlterTable
ALTER TABLE "orgs" ADD COLUMN     "api_token_error" TEXT;

-- CreateTable
CREATE TABLE "regions" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "uuid" VARCHAR(36) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "parent_id" INTEGER,
    "boundary_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "regions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "region_access" (
    "org_id" INTEGER NOT NULL,
    "user_id" INTEGER NOT NULL,
    "region_id" INTEGER NOT NULL,

    CONSTRAINT "region_access_pkey" PRIMARY KEY ("org_id","user_id","region_id")
);

-- CreateTable
CREATE TABLE "reporter_groups" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "uuid" VARCHAR(36) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "reporter_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rapidpro_groups" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "uuid" VARCHAR(36) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "rapidpro_groups_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "boundaries" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "osm_id" VARCHAR(32) NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "level" INTEGER NOT NULL DEFAULT 0,
    "parent_id" INTEGER,
    "geometry" JSONB,
    "simplified" JSONB,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "boundaries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_fields" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "label" VARCHAR(255) NOT NULL,
    "value_type" "FieldValueType" NOT NULL DEFAULT 'text',
    "visible" BOOLEAN NOT NULL DEFAULT false,
    "filterable" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "data_fields_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contacts" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "uuid" VARCHAR(36) NOT NULL,
    "name" VARCHAR(128) NOT NULL DEFAULT '',
    "urn" VARCHAR(255),
    "urns" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "language" VARCHAR(3),
    "region_id" INTEGER,
    "group_uuids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "fields" JSONB NOT NULL DEFAULT '{}',
    "status" "ContactStatus" NOT NULL DEFAULT 'active',
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "rapidpro_modified_on" TIMESTAMP(3),
    "rapidpro_created_on" TIMESTAMP(3),
    "sync_state" "ContactSyncState" NOT NULL DEFAULT 'synced',
    "sync_error" TEXT,
    "created_by_id" INTEGER,
    "updated_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "contacts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact_reporter_groups" (
    "org_id" INTEGER NOT NULL,
    "contact_id" INTEGER NOT NULL,
    "reporter_group_id" INTEGER NOT NULL,

    CONSTRAINT "contact_reporter_groups_pkey" PRIMARY KEY ("org_id","contact_id","reporter_group_id")
);

-- CreateTable
CREATE TABLE "sync_states" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "resource" VARCHAR(32) NOT NULL,
    "cursor" TEXT,
    "watermark" TIMESTAMP(3),
    "deleted_mark" TIMESTAMP(3),
    "lease_owner" VARCHAR(64),
    "lease_until" TIMESTAMP(3),
    "started_at" TIMESTAMP(3),
    "last_success_at" TIMESTAMP(3),
    "last_error_at" TIMESTAMP(3),
    "last_error" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "not_before" TIMESTAMP(3),
    "counts" JSONB NOT NULL DEFAULT '{}',
    "last_counts" JSONB NOT NULL DEFAULT '{}',
    "progress" JSONB NOT NULL DEFAULT '{}',
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sync_states_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "regions_org_id_parent_id_idx" ON "regions"("org_id", "parent_id");

-- CreateIndex
CREATE UNIQUE INDEX "regions_org_id_uuid_key" ON "regions"("org_id", "uuid");

-- CreateIndex
CREATE INDEX "region_access_org_id_region_id_idx" ON "region_access"("org_id", "region_id");

-- CreateIndex
CREATE UNIQUE INDEX "reporter_groups_org_id_uuid_key" ON "reporter_groups"("org_id", "uuid");

-- CreateIndex
CREATE UNIQUE INDEX "rapidpro_groups_org_id_uuid_key" ON "rapidpro_groups"("org_id", "uuid");

-- CreateIndex
CREATE UNIQUE INDEX "boundaries_org_id_osm_id_key" ON "boundaries"("org_id", "osm_id");

-- CreateIndex
CREATE UNIQUE INDEX "data_fields_org_id_key_key" ON "data_fields"("org_id", "key");

-- CreateIndex
CREATE INDEX "contacts_org_id_region_id_is_active_idx" ON "contacts"("org_id", "region_id", "is_active");

-- CreateIndex
CREATE INDEX "contacts_org_id_urn_idx" ON "contacts"("org_id", "urn");

-- CreateIndex
CREATE INDEX "contacts_org_id_name_idx" ON "contacts"("org_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "contacts_org_id_uuid_key" ON "contacts"("org_id", "uuid");

-- CreateIndex
CREATE INDEX "contact_reporter_groups_org_id_reporter_group_id_idx" ON "contact_reporter_groups"("org_id", "reporter_group_id");

-- CreateIndex
CREATE UNIQUE INDEX "sync_states_org_id_resource_key" ON "sync_states"("org_id", "resource");

-- AddForeignKey
ALTER TABLE "regions" ADD CONSTRAINT "regions_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regions" ADD CONSTRAINT "regions_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "regions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "regions" ADD CONSTRAINT "regions_boundary_id_fkey" FOREIGN KEY ("boundary_id") REFERENCES "boundaries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "region_access" ADD CONSTRAINT "region_access_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "region_access" ADD CONSTRAINT "region_access_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "region_access" ADD CONSTRAINT "region_access_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "reporter_groups" ADD CONSTRAINT "reporter_groups_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "rapidpro_groups" ADD CONSTRAINT "rapidpro_groups_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "boundaries" ADD CONSTRAINT "boundaries_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "boundaries" ADD CONSTRAINT "boundaries_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "boundaries"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "data_fields" ADD CONSTRAINT "data_fields_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "regions"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_reporter_groups" ADD CONSTRAINT "contact_reporter_groups_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_reporter_groups" ADD CONSTRAINT "contact_reporter_groups_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact_reporter_groups" ADD CONSTRAINT "contact_reporter_groups_reporter_group_id_fkey" FOREIGN KEY ("reporter_group_id") REFERENCES "reporter_groups"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sync_states" ADD CONSTRAINT "sync_states_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "orgs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
