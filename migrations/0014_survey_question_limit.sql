-- A center asks at most 20 survey questions, enforced by the database as well as by the API:
-- the active questions of a center (or of the default set) hold distinct positions 1..20, so a
-- 21st active question cannot exist whatever writes it. Saves of a center's questions also take
-- a per-center advisory lock (queue/repository.ts lockCenterSet), so concurrent saves serialise
-- instead of deadlocking or adding up.
UPDATE queue_survey_questions q SET active = false
 WHERE active AND (position NOT BETWEEN 1 AND 20 OR EXISTS (
   SELECT 1 FROM queue_survey_questions o
    WHERE o.active AND o.center_code IS NOT DISTINCT FROM q.center_code AND o.position = q.position AND o.question_id > q.question_id));
ALTER TABLE queue_survey_questions ADD CONSTRAINT queue_survey_questions_position_range CHECK (NOT active OR position BETWEEN 1 AND 20);
CREATE UNIQUE INDEX queue_survey_questions_active_position ON queue_survey_questions (COALESCE(center_code, ''), position) WHERE active;
COMMENT ON CONSTRAINT queue_survey_questions_position_range ON queue_survey_questions IS 'An active question is at position 1..20: with the unique index on active positions, at most 20 per center.';
COMMENT ON INDEX queue_survey_questions_active_position IS 'Active questions of a center (or of the default set, center NULL) hold distinct positions.';
