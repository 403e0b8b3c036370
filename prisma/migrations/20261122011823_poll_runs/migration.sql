-- CreateEnum
CREATE TYPE "PollRunType" AS ENUM ('universal', 'spoofed', 'regional', 'propagated');

-- CreateEnum
CREATE TYPE "ResponseStatus" AS ENUM ('E', 'P', 'C');

-- CreateTable
CREATE TABLE "poll_runs" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "poll_id" INTEGER NOT NULL,
    "type" "PollRunType" NOT NULL,
    "region_id" INTEGER,
    "conducted_on" TIMESTAMPTZ(3) NOT NULL,
    "local_day" DATE,
    "created_by_id" INTEGER,
    "flow_start_uuids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "poll_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "responses" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "poll_run_id" INTEGER NOT NULL,
    "poll_id" INTEGER NOT NULL,
    "contact_id" INTEGER NOT NULL,
    "run_uuid" VARCHAR(36),
    "created_on" TIMESTAMPTZ(3) NOT NULL,
    "updated_on" TIMESTAMPTZ(3) NOT NULL,
    "completed_on" TIMESTAMPTZ(3),
    "status" "ResponseStatus" NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "exit_type" VARCHAR(16),
    "rapidpro_modified_on" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "responses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "answers" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "response_id" INTEGER NOT NULL,
    "question_id" INTEGER NOT NULL,
    "contact_id" INTEGER NOT NULL,
    "poll_run_id" INTEGER NOT NULL,
    "value" VARCHAR(640) NOT NULL,
    "category" VARCHAR(36),
    "submitted_on" TIMESTAMPTZ(3) NOT NULL,
    "local_day" DATE NOT NULL,
    "last_value" VARCHAR(640) NOT NULL,
    "sum_value" VARCHAR(640) NOT NULL,

    CONSTRAINT "answers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "poll_runs_org_id_poll_id_conducted_on_idx" ON "poll_runs"("org_id", "poll_id", "conducted_on");

-- CreateIndex
CREATE UNIQUE INDEX "poll_runs_org_id_poll_id_type_local_day_key" ON "poll_runs"("org_id", "poll_id", "type", "local_day");

-- CreateIndex
CREATE INDEX "responses_org_id_poll_run_id_contact_id_idx" ON "responses"("org_id", "poll_run_id", "contact_id");

-- CreateIndex
CREATE INDEX "responses_org_id_contact_id_idx" ON "responses"("org_id", "contact_id");

-- CreateIndex
CREATE UNIQUE INDEX "responses_org_id_run_uuid_key" ON "responses"("org_id", "run_uuid");

-- CreateIndex
CREATE INDEX "answers_org_id_question_id_local_day_idx" ON "answers"("org_id", "question_id", "local_day");

-- CreateIndex
CREATE INDEX "answers_org_id_poll_run_id_contact_id_idx" ON "answers"("org_id", "poll_run_id", "contact_id");

-- CreateIndex
CREATE INDEX "answers_org_id_contact_id_question_id_local_day_idx" ON "answers"("org_id", "contact_id", "question_id", "local_day");

-- CreateIndex
CREATE UNIQUE INDEX "answers_org_id_response_id_question_id_key" ON "answers"("org_id", "response_id", "question_id");

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_poll_run_id_fkey" FOREIGN KEY ("poll_run_id") REFERENCES "poll_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_response_id_fkey" FOREIGN KEY ("response_id") REFERENCES "responses"("id") ON DELETE CASCADE ON UPDATE CASCADE;
