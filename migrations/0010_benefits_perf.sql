-- Event to decision without polling: every statement that writes outbox rows notifies the
-- dispatchers on commit (NOTIFY is transactional), so they wake at once; polling stays only as
-- a fallback. One notification per statement with an empty payload: PostgreSQL folds identical
-- notifications of a transaction into one.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_event', '');
  RETURN NULL;
END $$;
COMMENT ON FUNCTION outbox_notify() IS 'Notifies channel outbox_event (delivered on commit) so outbox dispatchers wake without polling.';
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
COMMENT ON TRIGGER outbox_notify ON outbox IS 'Wakes outbox dispatchers when events are written (see outbox_notify()).';

-- Sweeps write 10,000s of assignments in one transaction; one advisory lock per row ran out of
-- lock table at 1,000,000 citizens ("out of shared memory", max_locks_per_transaction). Now a
-- bulk writer takes one exclusive lock for the benefit and says so in dost.bulk_benefit; every
-- other writer takes that lock shared (once per transaction), then the per-subject lock as before.
-- The overlap check itself is unchanged.
CREATE OR REPLACE FUNCTION benefit_assignments_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('dost.bulk_benefit', true), '') IS DISTINCT FROM NEW.benefit_id THEN
    PERFORM pg_advisory_xact_lock_shared(hashtext('benefit|' || NEW.benefit_id));
    PERFORM pg_advisory_xact_lock(hashtext(NEW.benefit_id || '|' || NEW.subject_key), (NEW.citizen_id % 2147483647)::int);
  END IF;
  IF EXISTS (SELECT 1 FROM benefit_assignments a
              WHERE a.citizen_id = NEW.citizen_id AND a.benefit_id = NEW.benefit_id AND a.subject_key = NEW.subject_key
                AND a.assignment_id <> NEW.assignment_id
                AND daterange(a.period_from, a.period_to) && daterange(NEW.period_from, NEW.period_to)) THEN
    RAISE EXCEPTION 'overlapping assignment of % for citizen % (%)', NEW.benefit_id, NEW.citizen_id, NEW.subject_key USING ERRCODE = '23P01';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION benefit_assignments_no_overlap() IS 'Refuses an assignment whose period overlaps another of the same benefit, person and subject; serialises writers by an advisory lock per benefit, person and subject, or one exclusive lock per benefit for a bulk writer (dost.bulk_benefit set, see applyDecisions).';
