-- A service passport may name the proactive benefit it applies for (data/catalog/services.json
-- "benefit"), so an application for a benefit the citizen already receives, or has been offered,
-- is refused with the reason instead of opening a second case (issue 9).
ALTER TABLE services ADD COLUMN benefit_id text;
COMMENT ON COLUMN services.benefit_id IS 'The benefit rule (src/rules/benefits.ts id) this service applies for, when it is one; NULL otherwise.';
