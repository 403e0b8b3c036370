-- AlterTable
ALTER TABLE "answers" ADD COLUMN     "counted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "group_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "region_id" INTEGER;

-- AlterTable
ALTER TABLE "responses" ADD COLUMN     "contact_counted" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "group_ids" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "region_id" INTEGER;

-- CreateTable
CREATE TABLE "answer_counters" (
    "org_id" INTEGER NOT NULL,
    "poll_run_id" INTEGER NOT NULL,
    "question_id" INTEGER NOT NULL,
    "region_id" INTEGER NOT NULL,
    "reporter_group_id" INTEGER NOT NULL,
    "local_day" DATE NOT NULL,
    "category" VARCHAR(36) NOT NULL,
    "answers" INTEGER NOT NULL,
    "last_count" INTEGER NOT NULL,
    "last_sum" DECIMAL NOT NULL,
    "last_squares" DECIMAL NOT NULL,
    "sum_count" INTEGER NOT NULL,
    "sum_sum" DECIMAL NOT NULL,
    "sum_squares" DECIMAL NOT NULL,

    CONSTRAINT "answer_counters_pkey" PRIMARY KEY ("org_id","poll_run_id","question_id","region_id","reporter_group_id","local_day","category")
);

-- CreateTable
CREATE TABLE "answer_counter_deltas" (
    "id" BIGSERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "poll_run_id" INTEGER NOT NULL,
    "question_id" INTEGER NOT NULL,
    "region_id" INTEGER NOT NULL,
    "reporter_group_id" INTEGER NOT NULL,
    "local_day" DATE NOT NULL,
    "category" VARCHAR(36) NOT NULL,
    "answers" INTEGER NOT NULL,
    "last_count" INTEGER NOT NULL,
    "last_sum" DECIMAL NOT NULL,
    "last_squares" DECIMAL NOT NULL,
    "sum_count" INTEGER NOT NULL,
    "sum_sum" DECIMAL NOT NULL,
    "sum_squares" DECIMAL NOT NULL,

    CONSTRAINT "answer_counter_deltas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "response_counters" (
    "org_id" INTEGER NOT NULL,
    "poll_run_id" INTEGER NOT NULL,
    "region_id" INTEGER NOT NULL,
    "reporter_group_id" INTEGER NOT NULL,
    "status" "ResponseStatus" NOT NULL,
    "local_day" DATE NOT NULL,
    "responses" INTEGER NOT NULL,

    CONSTRAINT "response_counters_pkey" PRIMARY KEY ("org_id","poll_run_id","region_id","reporter_group_id","status","local_day")
);

-- CreateTable
CREATE TABLE "response_counter_deltas" (
    "id" BIGSERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "poll_run_id" INTEGER NOT NULL,
    "region_id" INTEGER NOT NULL,
    "reporter_group_id" INTEGER NOT NULL,
    "status" "ResponseStatus" NOT NULL,
    "local_day" DATE NOT NULL,
    "responses" INTEGER NOT NULL,

    CONSTRAINT "response_counter_deltas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "poll_run_starts" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "poll_run_id" INTEGER NOT NULL,
    "kind" VARCHAR(16) NOT NULL,
    "requested_by_id" INTEGER,
    "status" VARCHAR(16) NOT NULL DEFAULT 'queued',
    "recipient_count" INTEGER NOT NULL DEFAULT 0,
    "sent_count" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "poll_run_starts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "poll_run_start_batches" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "start_id" INTEGER NOT NULL,
    "batch_no" INTEGER NOT NULL,
    "contact_uuids" TEXT[],
    "rapidpro_start_uuid" VARCHAR(36),
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "poll_run_start_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_fetches" (
    "id" SERIAL NOT NULL,
    "org_id" INTEGER NOT NULL,
    "requested_by_id" INTEGER,
    "since" TIMESTAMPTZ(3) NOT NULL,
    "status" VARCHAR(16) NOT NULL DEFAULT 'queued',
    "estimated_requests" INTEGER NOT NULL DEFAULT 0,
    "requests_made" INTEGER NOT NULL DEFAULT 0,
    "progress" JSONB NOT NULL DEFAULT '[]',
    "log" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "run_fetches_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "answer_counter_deltas_org_id_poll_run_id_question_id_idx" ON "answer_counter_deltas"("org_id", "poll_run_id", "question_id");

-- CreateIndex
CREATE INDEX "response_counters_org_id_local_day_idx" ON "response_counters"("org_id", "local_day");

-- CreateIndex
CREATE INDEX "response_counter_deltas_org_id_poll_run_id_idx" ON "response_counter_deltas"("org_id", "poll_run_id");

-- CreateIndex
CREATE INDEX "response_counter_deltas_org_id_local_day_idx" ON "response_counter_deltas"("org_id", "local_day");

-- CreateIndex
CREATE INDEX "poll_run_starts_org_id_poll_run_id_idx" ON "poll_run_starts"("org_id", "poll_run_id");

-- CreateIndex
CREATE UNIQUE INDEX "poll_run_start_batches_org_id_start_id_batch_no_key" ON "poll_run_start_batches"("org_id", "start_id", "batch_no");

-- CreateIndex
CREATE INDEX "run_fetches_org_id_created_at_idx" ON "run_fetches"("org_id", "created_at");

-- AddForeignKey
ALTER TABLE "poll_runs" ADD CONSTRAINT "poll_runs_poll_id_fkey" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_poll_id_fkey" FOREIGN KEY ("poll_id") REFERENCES "polls"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "responses" ADD CONSTRAINT "responses_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contacts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "answers" ADD CONSTRAINT "answers_question_id_fkey" FOREIGN KEY ("question_id") REFERENCES "questions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "poll_run_starts" ADD CONSTRAINT "poll_run_starts_poll_run_id_fkey" FOREIGN KEY ("poll_run_id") REFERENCES "poll_runs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "poll_run_start_batches" ADD CONSTRAINT "poll_run_start_batches_start_id_fkey" FOREIGN KEY ("start_id") REFERENCES "poll_run_starts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---- Counters kept by triggers (hand-written; Prisma does not model triggers) ----
-- Responses and answers carry their contact's counting state (region, reporter groups, active), so
-- every counter is a function of one row. Contacts and memberships push changes down to responses,
-- responses to answers; each table's statement trigger turns its own before/after rows into delta
-- rows. The same SQL (tracpro_*_contribution_sql) builds deltas, rebuilds and checks.

-- A value as spec §11.2 reads a number, else null (exponents of up to three digits keep squares in range).
CREATE FUNCTION tracpro_numeric(v text) RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN btrim(v) ~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$' THEN btrim(v)::numeric END
$$;

-- A same-day sum as stored text (spec §10.1): at least one fractional digit ("8.0", "7.5").
CREATE FUNCTION tracpro_sum_text(total numeric) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT left(trim_scale(total)::text || CASE WHEN scale(trim_scale(total)) = 0 THEN '.0' ELSE '' END, 640)
$$;

-- The answer_counters rows of a set of signed answer rows (source: a query with answers' columns and "sign").
CREATE FUNCTION tracpro_answer_contribution_sql(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format($q$
    SELECT c.org_id, c.poll_run_id, c.question_id, c.region_id, g.id AS reporter_group_id, c.local_day,
           coalesce(c.category, '') AS category, sum(c.sign)::int AS answers,
           sum(CASE WHEN l.v IS NOT NULL THEN c.sign ELSE 0 END)::int AS last_count,
           coalesce(sum(c.sign * l.v), 0) AS last_sum, coalesce(sum(c.sign * l.v * l.v), 0) AS last_squares,
           sum(CASE WHEN s.v IS NOT NULL THEN c.sign ELSE 0 END)::int AS sum_count,
           coalesce(sum(c.sign * s.v), 0) AS sum_sum, coalesce(sum(c.sign * s.v * s.v), 0) AS sum_squares
    FROM (%s) c
    CROSS JOIN LATERAL unnest(array_prepend(0, coalesce(c.group_ids, '{}'))) AS g(id)
    CROSS JOIN LATERAL (SELECT tracpro_numeric(c.last_value) AS v) l
    CROSS JOIN LATERAL (SELECT tracpro_numeric(c.sum_value) AS v) s
    WHERE c.counted AND c.region_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.sign) <> 0 OR sum(CASE WHEN l.v IS NOT NULL THEN c.sign ELSE 0 END) <> 0 OR coalesce(sum(c.sign * l.v), 0) <> 0
        OR coalesce(sum(c.sign * l.v * l.v), 0) <> 0 OR sum(CASE WHEN s.v IS NOT NULL THEN c.sign ELSE 0 END) <> 0
        OR coalesce(sum(c.sign * s.v), 0) <> 0 OR coalesce(sum(c.sign * s.v * s.v), 0) <> 0
  $q$, source)
$$;

-- The response_counters rows of a set of signed response rows; the day is the org-local day of updated_on.
CREATE FUNCTION tracpro_response_contribution_sql(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format($q$
    SELECT c.org_id, c.poll_run_id, c.region_id, g.id AS reporter_group_id, c.status,
           (c.updated_on AT TIME ZONE o.timezone)::date AS local_day, sum(c.sign)::int AS responses
    FROM (%s) c
    JOIN orgs o ON o.id = c.org_id
    CROSS JOIN LATERAL unnest(array_prepend(0, coalesce(c.group_ids, '{}'))) AS g(id)
    WHERE c.is_active AND c.contact_counted AND c.region_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(c.sign) <> 0
  $q$, source)
$$;

-- The rows a statement changed, signed: +1 after, -1 before (for the statement triggers below).
CREATE FUNCTION tracpro_signed_transition(op text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE op
    WHEN 'INSERT' THEN 'SELECT n.*, 1 AS sign FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT o.*, -1 AS sign FROM old_rows o'
    ELSE 'SELECT n.*, 1 AS sign FROM new_rows n UNION ALL SELECT o.*, -1 AS sign FROM old_rows o' END
$$;

CREATE FUNCTION tracpro_answers_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'INSERT INTO answer_counter_deltas (org_id, poll_run_id, question_id, region_id, reporter_group_id, local_day, category,
             answers, last_count, last_sum, last_squares, sum_count, sum_sum, sum_squares) '
          || tracpro_answer_contribution_sql(tracpro_signed_transition(TG_OP));
  RETURN NULL;
END $$;

CREATE FUNCTION tracpro_responses_counted() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  EXECUTE 'INSERT INTO response_counter_deltas (org_id, poll_run_id, region_id, reporter_group_id, status, local_day, responses) '
          || tracpro_response_contribution_sql(tracpro_signed_transition(TG_OP));
  IF TG_OP = 'UPDATE' THEN
    -- A superseded response, or a contact that moved, changes what its answers count for.
    -- Rows are reached through their indexes (ids first), whatever the planner believes of fresh tables.
    UPDATE answers a SET counted = n.is_active AND n.contact_counted, region_id = n.region_id, group_ids = n.group_ids
    FROM new_rows n
    WHERE a.id = ANY(ARRAY(
        SELECT x.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        CROSS JOIN LATERAL (SELECT id FROM answers WHERE org_id = n.org_id AND response_id = n.id OFFSET 0) x
        WHERE (n.is_active, n.contact_counted, n.region_id, n.group_ids) IS DISTINCT FROM (o.is_active, o.contact_counted, o.region_id, o.group_ids)))
      AND a.response_id = n.id
      AND (a.counted, a.region_id, a.group_ids) IS DISTINCT FROM (n.is_active AND n.contact_counted, n.region_id, n.group_ids);
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION tracpro_contacts_counted() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  UPDATE responses r SET region_id = n.region_id, contact_counted = n.is_active AND n.region_id IS NOT NULL
  FROM new_rows n
  WHERE r.id = ANY(ARRAY(
      SELECT x.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      CROSS JOIN LATERAL (SELECT id FROM responses WHERE org_id = n.org_id AND contact_id = n.id OFFSET 0) x
      WHERE (n.region_id, n.is_active) IS DISTINCT FROM (o.region_id, o.is_active)))
    AND r.contact_id = n.id
    AND (r.region_id, r.contact_counted) IS DISTINCT FROM (n.region_id, n.is_active AND n.region_id IS NOT NULL);
  RETURN NULL;
END $$;

CREATE FUNCTION tracpro_memberships_counted() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  EXECUTE format($q$
    WITH touched AS (SELECT DISTINCT org_id, contact_id FROM %I)
    UPDATE responses r SET group_ids = m.ids
    FROM touched t
    CROSS JOIN LATERAL (
      SELECT coalesce(array_agg(g.reporter_group_id ORDER BY g.reporter_group_id), '{}') AS ids
      FROM contact_reporter_groups g WHERE g.org_id = t.org_id AND g.contact_id = t.contact_id
    ) m
    WHERE r.id = ANY(ARRAY(
        SELECT x.id FROM touched t CROSS JOIN LATERAL (SELECT id FROM responses WHERE org_id = t.org_id AND contact_id = t.contact_id OFFSET 0) x))
      AND r.contact_id = t.contact_id AND r.group_ids IS DISTINCT FROM m.ids
  $q$, CASE TG_OP WHEN 'INSERT' THEN 'new_rows' ELSE 'old_rows' END);
  RETURN NULL;
END $$;

-- Existing rows take their contacts' state before the triggers exist; counters are then rebuilt.
UPDATE responses r SET region_id = c.region_id, contact_counted = c.is_active AND c.region_id IS NOT NULL,
       group_ids = coalesce((SELECT array_agg(g.reporter_group_id ORDER BY g.reporter_group_id) FROM contact_reporter_groups g
                             WHERE g.org_id = c.org_id AND g.contact_id = c.id), '{}')
FROM contacts c WHERE c.id = r.contact_id;
UPDATE answers a SET counted = r.is_active AND r.contact_counted, region_id = r.region_id, group_ids = r.group_ids
FROM responses r WHERE r.id = a.response_id;
DO $$ BEGIN
  EXECUTE 'INSERT INTO answer_counters ' || tracpro_answer_contribution_sql('SELECT a.*, 1 AS sign FROM answers a');
  EXECUTE 'INSERT INTO response_counters ' || tracpro_response_contribution_sql('SELECT r.*, 1 AS sign FROM responses r');
END $$;

CREATE TRIGGER answers_counted_insert AFTER INSERT ON answers REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_answers_counted();
CREATE TRIGGER answers_counted_update AFTER UPDATE ON answers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_answers_counted();
CREATE TRIGGER answers_counted_delete AFTER DELETE ON answers REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_answers_counted();
CREATE TRIGGER responses_counted_insert AFTER INSERT ON responses REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_responses_counted();
CREATE TRIGGER responses_counted_update AFTER UPDATE ON responses REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_responses_counted();
CREATE TRIGGER responses_counted_delete AFTER DELETE ON responses REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_responses_counted();
CREATE TRIGGER contacts_counted_update AFTER UPDATE ON contacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_contacts_counted();
CREATE TRIGGER memberships_counted_insert AFTER INSERT ON contact_reporter_groups REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_memberships_counted();
CREATE TRIGGER memberships_counted_delete AFTER DELETE ON contact_reporter_groups REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tracpro_memberships_counted();
