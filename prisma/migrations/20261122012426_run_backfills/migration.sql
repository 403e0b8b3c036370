-- CreateTable
CREATE TABLE "run_backfills" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "poll_id" INTEGER NOT NULL,
    "flow_uuid" VARCHAR(36) NOT NULL,
    "cursor" TEXT,
    "done" INTEGER NOT NULL DEFAULT 0,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "run_backfills_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "run_backfills_org_id_poll_id_key" ON "run_backfills"("org_id", "poll_id");
