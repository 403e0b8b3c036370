-- CreateTable
CREATE TABLE "indicators" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,
    "baseline_poll_id" INTEGER,
    "baseline_question_id" INTEGER,
    "goal" DECIMAL,
    "follow_up_poll_id" INTEGER NOT NULL,
    "follow_up_question_id" INTEGER NOT NULL,
    "y_axis_title" VARCHAR(255) NOT NULL DEFAULT '',
    "created_by_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "indicators_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "messages" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "sent_by_id" INTEGER,
    "text" VARCHAR(640) NOT NULL,
    "poll_run_id" INTEGER,
    "recipient_group" VARCHAR(16) NOT NULL,
    "region_id" INTEGER,
    "status" VARCHAR(16) NOT NULL DEFAULT 'pending',
    "recipient_count" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_batches" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "message_id" INTEGER NOT NULL,
    "batch_no" INTEGER NOT NULL,
    "contact_uuids" TEXT[],
    "rapidpro_broadcast_id" VARCHAR(36),
    "rapidpro_status" VARCHAR(16),
    "sent_at" TIMESTAMPTZ(3),
    "checked_at" TIMESTAMPTZ(3),

    CONSTRAINT "message_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_recipients" (
    "org_id" INTEGER NOT NULL,
    "message_id" INTEGER NOT NULL,
    "contact_id" INTEGER NOT NULL,

    CONSTRAINT "message_recipients_pkey" PRIMARY KEY ("org_id","message_id","contact_id")
);

-- CreateTable
CREATE TABLE "inbox_messages" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "rapidpro_id" BIGINT NOT NULL,
    "contact_id" INTEGER NOT NULL,
    "text" VARCHAR(640),
    "direction" CHAR(1) NOT NULL,
    "visibility" VARCHAR(16) NOT NULL DEFAULT 'visible',
    "status" VARCHAR(16),
    "created_on" TIMESTAMPTZ(3) NOT NULL,
    "sent_on" TIMESTAMPTZ(3),
    "modified_on" TIMESTAMPTZ(3),

    CONSTRAINT "inbox_messages_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "indicators_org_id_end_date_idx" ON "indicators"("org_id", "end_date");

-- CreateIndex
CREATE INDEX "messages_org_id_created_at_idx" ON "messages"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "messages_org_id_poll_run_id_idx" ON "messages"("org_id", "poll_run_id");

-- CreateIndex
CREATE UNIQUE INDEX "message_batches_org_id_message_id_batch_no_key" ON "message_batches"("org_id", "message_id", "batch_no");

-- CreateIndex
CREATE INDEX "message_recipients_org_id_contact_id_idx" ON "message_recipients"("org_id", "contact_id");

-- CreateIndex
CREATE INDEX "inbox_messages_org_id_contact_id_created_on_idx" ON "inbox_messages"("org_id", "contact_id", "created_on");

-- CreateIndex
CREATE INDEX "inbox_messages_org_id_created_on_idx" ON "inbox_messages"("org_id", "created_on");

-- CreateIndex
CREATE UNIQUE INDEX "inbox_messages_org_id_rapidpro_id_key" ON "inbox_messages"("org_id", "rapidpro_id");

-- AddForeignKey
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_baseline_poll_id_fkey" FOREIGN KEY ("baseline_poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_baseline_question_id_fkey" FOREIGN KEY ("baseline_question_id") REFERENCES "questions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_follow_up_poll_id_fkey" FOREIGN KEY ("follow_up_poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "indicators" ADD CONSTRAINT "indicators_follow_up_question_id_fkey" FOREIGN KEY ("follow_up_question_id") REFERENCES "questions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_poll_run_id_fkey" FOREIGN KEY ("poll_run_id") REFERENCES "poll_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_batches" ADD CONSTRAINT "message_batches_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_recipients" ADD CONSTRAINT "message_recipients_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;
