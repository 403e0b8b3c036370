-- CreateEnum
CREATE TYPE "QuestionType" AS ENUM ('open', 'multiple_choice', 'numeric', 'menu', 'keypad', 'recording');

-- CreateTable
CREATE TABLE "polls" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "flow_uuid" VARCHAR(36) NOT NULL,
    "rapidpro_name" VARCHAR(128) NOT NULL,
    "custom_name" VARCHAR(128),
    "is_active" BOOLEAN NOT NULL DEFAULT false,
    "is_archived_in_rapidpro" BOOLEAN NOT NULL DEFAULT false,
    "is_missing_in_rapidpro" BOOLEAN NOT NULL DEFAULT false,
    "flow_type" VARCHAR(16) NOT NULL DEFAULT 'message',
    "rapidpro_modified_on" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "polls_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "questions" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "poll_id" INTEGER NOT NULL,
    "key" VARCHAR(128) NOT NULL,
    "ruleset_uuids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "rapidpro_name" VARCHAR(128) NOT NULL,
    "custom_name" VARCHAR(128),
    "type" "QuestionType" NOT NULL DEFAULT 'open',
    "type_set_by_admin" BOOLEAN NOT NULL DEFAULT false,
    "flow_order" INTEGER NOT NULL,
    "admin_order" INTEGER,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "is_missing_in_rapidpro" BOOLEAN NOT NULL DEFAULT false,
    "rules" JSONB NOT NULL DEFAULT '[]',
    "categories" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "questions_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "polls_org_id_is_active_idx" ON "polls"("org_id", "is_active");

-- CreateIndex
CREATE UNIQUE INDEX "polls_org_id_flow_uuid_key" ON "polls"("org_id", "flow_uuid");

-- CreateIndex
CREATE INDEX "questions_org_id_poll_id_flow_order_idx" ON "questions"("org_id", "poll_id", "flow_order");

-- CreateIndex
CREATE UNIQUE INDEX "questions_org_id_poll_id_key_key" ON "questions"("org_id", "poll_id", "key");

-- AddForeignKey
ALTER TABLE "questions" ADD CONSTRAINT "questions_poll_id_fkey" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE CASCADE;
