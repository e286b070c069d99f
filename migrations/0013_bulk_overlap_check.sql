-- A sweep's first run over 1,000,000 citizens spent 13-19 s of its childbirth step in the
-- no-overlap trigger: 16,660 assignments inserted into a table that was empty when the trigger's
-- query was planned, so each row's check scanned every row inserted before it (quadratic).
-- A bulk writer (dost.bulk_benefit set, holding the benefit's exclusive lock) is now checked once
-- per statement, set-based, over the statement's new rows; every other writer is checked per row
-- under its advisory locks, as before.
CREATE OR REPLACE FUNCTION benefit_assignments_no_overlap() RETURNS trigger LANGUAGE plpgsql
-- Statistics may say the table is empty (taken before a sweep's inserts): a plan that scans it for
-- every row is then quadratic. The look-ups below must go through an index whatever they say.
SET enable_seqscan = off AS $$
BEGIN
  IF coalesce(current_setting('dost.bulk_benefit', true), '') = NEW.benefit_id THEN
    RETURN NEW; -- checked by benefit_assignments_no_overlap_bulk() at the end of the statement
  END IF;
  PERFORM pg_advisory_xact_lock_shared(hashtext('benefit|' || NEW.benefit_id));
  PERFORM pg_advisory_xact_lock(hashtext(NEW.benefit_id || '|' || NEW.subject_key), (NEW.citizen_id % 2147483647)::int);
  IF EXISTS (SELECT 1 FROM benefit_assignments a
              WHERE a.citizen_id = NEW.citizen_id AND a.benefit_id = NEW.benefit_id AND a.subject_key = NEW.subject_key
                AND a.assignment_id <> NEW.assignment_id
                AND daterange(a.period_from, a.period_to) && daterange(NEW.period_from, NEW.period_to)) THEN
    RAISE EXCEPTION 'overlapping assignment of % for citizen % (%)', NEW.benefit_id, NEW.citizen_id, NEW.subject_key USING ERRCODE = '23P01';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION benefit_assignments_no_overlap() IS 'Refuses an assignment whose period overlaps another of the same benefit, person and subject, under an advisory lock per benefit, person and subject; a bulk writer of the benefit (dost.bulk_benefit) is checked per statement instead (benefit_assignments_no_overlap_bulk).';

-- The key every overlap check looks up (person, benefit, subject), so that no plan, whatever the
-- statistics say, falls back to the (benefit, subject) index, which for subject 'person' holds
-- every assignment of the benefit.
CREATE INDEX benefit_assignments_key_idx ON benefit_assignments (citizen_id, benefit_id, subject_key);
COMMENT ON INDEX benefit_assignments_key_idx IS 'Assignments of one person, benefit and subject: the overlap checks and the sweeps'' look-ups.';

CREATE FUNCTION benefit_assignments_no_overlap_bulk() RETURNS trigger LANGUAGE plpgsql
SET enable_seqscan = off AS $$
DECLARE
  bulk text := coalesce(current_setting('dost.bulk_benefit', true), '');
  bad record;
BEGIN
  IF bulk = '' THEN
    RETURN NULL;
  END IF;
  -- Driven by the statement's rows, one index probe each (OFFSET 0 keeps the sub-select a per-row
  -- probe): statistics taken before a sweep's inserts say the benefit has no rows, and a join
  -- planned on them loops over the whole table for every new row.
  SELECT n.benefit_id, n.citizen_id, n.subject_key INTO bad
    FROM changed n
   WHERE n.benefit_id = bulk
     AND EXISTS (SELECT 1 FROM benefit_assignments a
                  WHERE a.citizen_id = n.citizen_id AND a.benefit_id = n.benefit_id AND a.subject_key = n.subject_key
                    AND a.assignment_id <> n.assignment_id AND daterange(a.period_from, a.period_to) && daterange(n.period_from, n.period_to)
                 OFFSET 0)
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'overlapping assignment of % for citizen % (%)', bad.benefit_id, bad.citizen_id, bad.subject_key USING ERRCODE = '23P01';
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION benefit_assignments_no_overlap_bulk() IS 'For a bulk writer (dost.bulk_benefit): refuses a statement whose new or changed assignments of that benefit overlap another of the same person and subject; one set-based check per statement.';
CREATE TRIGGER benefit_assignments_no_overlap_bulk_insert AFTER INSERT ON benefit_assignments
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION benefit_assignments_no_overlap_bulk();
COMMENT ON TRIGGER benefit_assignments_no_overlap_bulk_insert ON benefit_assignments IS 'Overlap check of a bulk writer''s inserted assignments (see benefit_assignments_no_overlap_bulk()).';
CREATE TRIGGER benefit_assignments_no_overlap_bulk_update AFTER UPDATE ON benefit_assignments
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION benefit_assignments_no_overlap_bulk();
COMMENT ON TRIGGER benefit_assignments_no_overlap_bulk_update ON benefit_assignments IS 'Overlap check of a bulk writer''s changed assignments (see benefit_assignments_no_overlap_bulk()).';
