-- Life events other agencies can feed and everyone can trust (issue 9): each event carries the
-- sending system and that system's own id (a resent event is recognised, never applied twice); a
-- correction or a cancellation of an earlier event is its own event, pointing at the one it
-- replaces; the history stays append-only and the effective events are those nothing replaced.
-- Merged duplicate persons point at the person they were merged into. Assignments made on a basis
-- that was later cancelled are ended and flagged for recovery, never deleted.

ALTER TABLE life_events ADD COLUMN kind text NOT NULL DEFAULT 'original' CHECK (kind IN ('original', 'correction', 'cancellation'));
ALTER TABLE life_events ADD COLUMN source_system text NOT NULL DEFAULT 'dost';
ALTER TABLE life_events ADD COLUMN source_event_id text CHECK (source_event_id IS NULL OR length(source_event_id) BETWEEN 1 AND 100);
ALTER TABLE life_events ADD COLUMN supersedes_event_id bigint;
ALTER TABLE life_events ADD CONSTRAINT life_events_supersedes_check
  CHECK ((kind = 'original') = (supersedes_event_id IS NULL));
COMMENT ON COLUMN life_events.kind IS 'original (a new fact), correction (replaces supersedes_event_id with this event''s date and data) or cancellation (withdraws supersedes_event_id; carries no facts).';
COMMENT ON COLUMN life_events.source_system IS 'The sending system: an agency code (civil_registry, msec, pension_fund, e_labour, ...) or dost for events recorded by staff.';
COMMENT ON COLUMN life_events.source_event_id IS 'The sending system''s own id of the event; with source_system it identifies a resent event.';
COMMENT ON COLUMN life_events.supersedes_event_id IS 'For a correction or cancellation: the event (of the same citizen) it replaces.';

-- A resent event (same system, same id) is recognised by this key. (Under Citus it moves to a
-- lookup table keyed by source, like citizens.fin.)
CREATE UNIQUE INDEX life_events_source_key ON life_events (source_system, source_event_id) WHERE source_event_id IS NOT NULL;
-- An event is replaced at most once; the effective history is the events nothing replaced.
CREATE UNIQUE INDEX life_events_superseded_key ON life_events (citizen_id, supersedes_event_id) WHERE supersedes_event_id IS NOT NULL;

-- The facts the rules and pages read: originals and corrections not replaced by a later
-- correction or cancellation (cancellations themselves carry no facts).
CREATE VIEW effective_life_events AS
  SELECT e.* FROM life_events e
   WHERE e.kind <> 'cancellation'
     AND NOT EXISTS (SELECT 1 FROM life_events s WHERE s.citizen_id = e.citizen_id AND s.supersedes_event_id = e.event_id);
COMMENT ON VIEW effective_life_events IS 'Life events in force: not cancelled and not replaced by a correction.';

ALTER TABLE citizens ADD COLUMN merged_into bigint REFERENCES citizens;
COMMENT ON COLUMN citizens.merged_into IS 'Set when this record was found to be a duplicate of another person and merged into it; its FIN and history stay and are shown with the surviving record.';
CREATE INDEX citizens_merged_into_idx ON citizens (merged_into) WHERE merged_into IS NOT NULL;

ALTER TABLE benefit_assignments ADD COLUMN recovery_status text CHECK (recovery_status IN ('due', 'recovered', 'waived'));
ALTER TABLE benefit_assignments ADD COLUMN recovery_amount_azn numeric(12, 2) CHECK (recovery_amount_azn IS NULL OR recovery_amount_azn >= 0);
COMMENT ON COLUMN benefit_assignments.recovery_status IS 'When the basis of the assignment was cancelled after it was paid: due (to be recovered), recovered or waived; NULL otherwise.';
COMMENT ON COLUMN benefit_assignments.recovery_amount_azn IS 'What was paid on the cancelled basis and is to be recovered, AZN.';
CREATE INDEX benefit_assignments_recovery_idx ON benefit_assignments (recovery_status) WHERE recovery_status IS NOT NULL;
