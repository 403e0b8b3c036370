-- CreateTable
CREATE TABLE "registration_configs" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registration_configs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registration_sources" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "name" VARCHAR(128) NOT NULL,
    "slug" VARCHAR(64) NOT NULL,
    "authority" VARCHAR(16) NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registration_sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registration_source_tokens" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "source_id" UUID NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "prefix" VARCHAR(8) NOT NULL,
    "scopes" TEXT[],
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registration_source_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registrations" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "source_id" UUID NOT NULL,
    "stage" VARCHAR(16) NOT NULL,
    "mother_id" VARCHAR(36) NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "validation_status" VARCHAR(16) NOT NULL,
    "reg_type" VARCHAR(16),
    "preg_week" INTEGER,
    "baby_age" INTEGER,
    "invalid_reasons" TEXT[],
    "operator_id" VARCHAR(255),
    "receiver_id" VARCHAR(255),
    "msg_type" VARCHAR(64),
    "msg_receiver" VARCHAR(64),
    "language" VARCHAR(64),
    "operator_state" VARCHAR(128),
    "operator_role" VARCHAR(128),
    "operator_checked_at" TIMESTAMPTZ(3),
    "metrics_applied_at" TIMESTAMPTZ(3),
    "followup_status" VARCHAR(32),
    "followup_error" TEXT,
    "created_by" VARCHAR(64) NOT NULL,
    "updated_by" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registrations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscription_requests" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "registration_id" UUID,
    "change_id" UUID,
    "identity" VARCHAR(36) NOT NULL,
    "messageset_id" INTEGER NOT NULL,
    "messageset_short_name" VARCHAR(128) NOT NULL,
    "next_sequence_number" INTEGER NOT NULL,
    "lang" VARCHAR(16) NOT NULL,
    "schedule_id" INTEGER NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "delivery_status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "subscription_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registration_changes" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "source_id" UUID,
    "mother_id" VARCHAR(36) NOT NULL,
    "action" VARCHAR(32) NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "created_by" VARCHAR(64) NOT NULL,
    "updated_by" VARCHAR(64) NOT NULL,
    "metrics_applied_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registration_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "optout_events" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "identity_id" VARCHAR(36) NOT NULL,
    "reason" VARCHAR(128) NOT NULL,
    "reason_bucket" VARCHAR(64) NOT NULL,
    "request_source" VARCHAR(128) NOT NULL,
    "source_short" VARCHAR(64) NOT NULL,
    "registration_id" UUID,
    "attributed_receiver" VARCHAR(64),
    "attributed_msg_type" VARCHAR(64),
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "metrics_applied_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "optout_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_points" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "bucket_seconds" INTEGER NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "origin" VARCHAR(16) NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "metric_points_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "metric_job_runs" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "status" VARCHAR(16) NOT NULL DEFAULT 'queued',
    "progress" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "summary" JSONB NOT NULL DEFAULT '{}',
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "metric_job_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identities" (
    "id" VARCHAR(36) NOT NULL,
    "org_id" INTEGER NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "communicate_through" VARCHAR(36),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "subscriptions" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "identity" VARCHAR(36) NOT NULL,
    "messageset_id" INTEGER NOT NULL,
    "messageset_short_name" VARCHAR(128) NOT NULL,
    "next_sequence_number" INTEGER NOT NULL,
    "lang" VARCHAR(16) NOT NULL,
    "schedule_id" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "completed" BOOLEAN NOT NULL DEFAULT false,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "subscriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbound_messages" (
    "id" UUID NOT NULL,
    "org_id" INTEGER NOT NULL,
    "to_identity" VARCHAR(36),
    "to_addr" VARCHAR(64),
    "content" TEXT NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "adapter" VARCHAR(16) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "outbound_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "registration_configs_org_id_key" ON "registration_configs"("org_id");

-- CreateIndex
CREATE UNIQUE INDEX "registration_sources_org_id_slug_key" ON "registration_sources"("org_id", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "registration_source_tokens_token_hash_key" ON "registration_source_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "registration_source_tokens_org_id_source_id_idx" ON "registration_source_tokens"("org_id", "source_id");

-- CreateIndex
CREATE INDEX "registration_source_tokens_prefix_idx" ON "registration_source_tokens"("prefix");

-- CreateIndex
CREATE INDEX "registrations_org_id_created_at_idx" ON "registrations"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "registrations_org_id_source_id_created_at_idx" ON "registrations"("org_id", "source_id", "created_at");

-- CreateIndex
CREATE INDEX "registrations_org_id_mother_id_idx" ON "registrations"("org_id", "mother_id");

-- CreateIndex
CREATE INDEX "registrations_org_id_receiver_id_idx" ON "registrations"("org_id", "receiver_id");

-- CreateIndex
CREATE INDEX "registrations_org_id_operator_id_idx" ON "registrations"("org_id", "operator_id");

-- CreateIndex
CREATE INDEX "registrations_org_id_metrics_applied_at_idx" ON "registrations"("org_id", "metrics_applied_at");

-- CreateIndex
CREATE INDEX "subscription_requests_org_id_registration_id_idx" ON "subscription_requests"("org_id", "registration_id");

-- CreateIndex
CREATE INDEX "subscription_requests_org_id_identity_idx" ON "subscription_requests"("org_id", "identity");

-- CreateIndex
CREATE INDEX "registration_changes_org_id_created_at_idx" ON "registration_changes"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "registration_changes_org_id_mother_id_idx" ON "registration_changes"("org_id", "mother_id");

-- CreateIndex
CREATE INDEX "registration_changes_org_id_metrics_applied_at_idx" ON "registration_changes"("org_id", "metrics_applied_at");

-- CreateIndex
CREATE INDEX "optout_events_org_id_received_at_idx" ON "optout_events"("org_id", "received_at");

-- CreateIndex
CREATE INDEX "optout_events_org_id_identity_id_idx" ON "optout_events"("org_id", "identity_id");

-- CreateIndex
CREATE INDEX "optout_events_org_id_metrics_applied_at_idx" ON "optout_events"("org_id", "metrics_applied_at");

-- CreateIndex
CREATE UNIQUE INDEX "metric_points_org_id_name_bucket_start_bucket_seconds_key" ON "metric_points"("org_id", "name", "bucket_start", "bucket_seconds");

-- CreateIndex
CREATE INDEX "metric_job_runs_org_id_created_at_idx" ON "metric_job_runs"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "identities_org_id_idx" ON "identities"("org_id");

-- CreateIndex
CREATE INDEX "subscriptions_org_id_identity_idx" ON "subscriptions"("org_id", "identity");

-- CreateIndex
CREATE INDEX "outbound_messages_org_id_created_at_idx" ON "outbound_messages"("org_id", "created_at");

-- AddForeignKey
ALTER TABLE "registration_source_tokens" ADD CONSTRAINT "registration_source_tokens_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "registration_sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "registration_sources"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "subscription_requests" ADD CONSTRAINT "subscription_requests_registration_id_fkey" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
