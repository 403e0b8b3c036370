-- CreateTable
CREATE TABLE "export_files" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "requested_by_id" INTEGER,
    "kind" VARCHAR(32) NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "filename" VARCHAR(255) NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'queued',
    "rows" INTEGER NOT NULL DEFAULT 0,
    "total_rows" INTEGER,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "export_files_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "export_chunks" (
    "org_id" INTEGER NOT NULL,
    "export_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "export_chunks_pkey" PRIMARY KEY ("org_id","export_id","seq")
);

-- CreateIndex
CREATE INDEX "export_files_org_id_created_at_idx" ON "export_files"("org_id", "created_at");

-- CreateIndex
CREATE INDEX "export_files_expires_at_idx" ON "export_files"("expires_at");

-- AddForeignKey
ALTER TABLE "export_chunks" ADD CONSTRAINT "export_chunks_export_id_fkey" FOREIGN KEY ("export_id") REFERENCES "export_files"("id") ON DELETE CASCADE ON UPDATE CASCADE;
