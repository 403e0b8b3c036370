-- DropIndex
DROP INDEX "answers_org_id_poll_run_id_contact_id_idx";

-- DropIndex
DROP INDEX "answers_org_id_question_id_local_day_idx";

-- CreateIndex
CREATE INDEX "answers_org_id_poll_run_id_question_id_idx" ON "answers"("org_id", "poll_run_id", "question_id");

-- ---- Cheaper counter triggers (hand-written; same counts as before) ----
-- Each answer's values are read as numbers once (before the fan-out over its reporter groups), and
-- rows of one key and one set of groups are summed before the fan-out.
CREATE OR REPLACE FUNCTION tracpro_answer_contribution_sql(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format($q$
    SELECT c.org_id, c.poll_run_id, c.question_id, c.region_id, g.id AS reporter_group_id, c.local_day, c.category,
           sum(c.answers)::int AS answers, sum(c.last_count)::int AS last_count, sum(c.last_sum) AS last_sum, sum(c.last_squares) AS last_squares,
           sum(c.sum_count)::int AS sum_count, sum(c.sum_sum) AS sum_sum, sum(c.sum_squares) AS sum_squares
    FROM (
      SELECT x.org_id, x.poll_run_id, x.question_id, x.region_id, x.group_ids, x.local_day, coalesce(x.category, '') AS category,
             sum(x.sign)::int AS answers, sum(CASE WHEN x.lv IS NOT NULL THEN x.sign ELSE 0 END)::int AS last_count,
             coalesce(sum(x.sign * x.lv), 0) AS last_sum, coalesce(sum(x.sign * x.lv * x.lv), 0) AS last_squares,
             sum(CASE WHEN x.sv IS NOT NULL THEN x.sign ELSE 0 END)::int AS sum_count,
             coalesce(sum(x.sign * x.sv), 0) AS sum_sum, coalesce(sum(x.sign * x.sv * x.sv), 0) AS sum_squares
      FROM (
        SELECT s.org_id, s.poll_run_id, s.question_id, s.region_id, s.group_ids, s.local_day, s.category, s.sign,
               tracpro_numeric(s.last_value) AS lv, tracpro_numeric(s.sum_value) AS sv
        FROM (%s) s WHERE s.counted AND s.region_id IS NOT NULL OFFSET 0
      ) x
      GROUP BY 1, 2, 3, 4, 5, 6, 7
    ) c
    CROSS JOIN LATERAL unnest(array_prepend(0, coalesce(c.group_ids, '{}'))) AS g(id)
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(c.answers) <> 0 OR sum(c.last_count) <> 0 OR sum(c.last_sum) <> 0 OR sum(c.last_squares) <> 0
        OR sum(c.sum_count) <> 0 OR sum(c.sum_sum) <> 0 OR sum(c.sum_squares) <> 0
  $q$, source)
$$;

-- Statement triggers fire for statements that changed no row (an upsert fires both its insert and its
-- update triggers): those return before planning anything.
CREATE OR REPLACE FUNCTION tracpro_answers_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  EXECUTE 'INSERT INTO answer_counter_deltas (org_id, poll_run_id, question_id, region_id, reporter_group_id, local_day, category,
             answers, last_count, last_sum, last_squares, sum_count, sum_sum, sum_squares) '
          || tracpro_answer_contribution_sql(tracpro_signed_transition(TG_OP));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tracpro_responses_counted() RETURNS trigger LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF NOT EXISTS (SELECT 1 FROM old_rows) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
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
