-- Sweeps read only the subjects that can change a decision (see compileRule's decisiveOnly):
-- those an age condition does not rule out, found by a range on birth dates, and those with a
-- decision open, found from the decisions. Both need an index.
CREATE INDEX citizens_birth_date_idx ON citizens (birth_date);
COMMENT ON INDEX citizens_birth_date_idx IS 'Age ranges for rule sweeps (children under one, people of pension age) without reading every citizen.';
CREATE INDEX benefit_offers_pending_subject_idx ON benefit_offers (benefit_id, subject_key) WHERE status = 'pending';
COMMENT ON INDEX benefit_offers_pending_subject_idx IS 'Pending offers of a benefit, for a sweep that must revisit every subject with an open offer.';
