-- Household changes (issue 9): income declarations cover a stated 12-month period, and a citizen
-- belongs to at most one household at a time, each household with at most one head at a time.
ALTER TABLE household_income_declarations ADD COLUMN period_from date;
ALTER TABLE household_income_declarations ADD COLUMN period_to date;
ALTER TABLE household_income_declarations ADD CONSTRAINT household_income_declarations_period_check
  CHECK (period_from IS NULL OR period_to IS NULL OR period_to >= period_from);
COMMENT ON COLUMN household_income_declarations.period_from IS 'First day of the months the average covers (NULL for rows recorded before 0022).';
COMMENT ON COLUMN household_income_declarations.period_to IS 'Last day of the months the average covers (NULL for rows recorded before 0022).';
COMMENT ON COLUMN household_income_declarations.source IS 'Income source code from data/registry/household-income-sources.json (''generated'' for the demo population).';

CREATE UNIQUE INDEX household_members_one_open_idx ON household_members (citizen_id) WHERE left_on IS NULL;
CREATE UNIQUE INDEX household_members_one_head_idx ON household_members (household_id) WHERE left_on IS NULL AND relation = 'head';
