-- Possible duplicate persons (issue 9): the same person registered twice under two FINs (a
-- Russian-style spelling, a re-issued document). dost_fold_name folds a name to a key in which
-- the spellings of the same name agree (rules and sources: data/registry/name-variants.json;
-- src/modules/registry/names.ts is the same fold in TypeScript, names.test.ts checks they agree).
-- Candidate pairs are found set-based (blocking on birth date, or folded surname + birth year),
-- scored and queued in person_match_candidates for an officer to merge or dismiss.

CREATE FUNCTION dost_fold_name(name text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE s text;
BEGIN
  IF name IS NULL THEN RETURN ''; END IF;
  -- lower case without depending on the database locale
  s := lower(translate(name, 'İIAƏÄEYЫИЙЈOÖӨОЁUÜҮУЮBCÇDFJLMNPRSŞTVWZGĞHKQXАӘЕЭЯБВГҒДЖЗКҜЛМНПРСТФХҺЦЧҸШЩ', 'iiaəäeyыийјoöөоёuüүуюbcçdfjlmnprsştvwzgğhkqxаәеэябвгғджзкҝлмнпрстфхһцчҹшщ'));
  -- digraphs, in order
  s := replace(s, 'dzh', 'c');
  s := replace(s, 'дж', 'c');
  s := replace(s, 'dj', 'c');
  s := replace(s, 'shch', 's');
  s := replace(s, 'sh', 's');
  s := replace(s, 'ch', 'c');
  s := replace(s, 'zh', 'c');
  s := replace(s, 'kh', 'k');
  s := replace(s, 'gh', 'k');
  s := replace(s, 'ts', 's');
  -- every letter to the fold alphabet; anything else separates words
  s := regexp_replace(translate(s, 'aəäeiıyыийјoöөоёuüүуюbcçdfjlmnprsştvwzgğhkqxаәеэябвгғджзкҝлмнпрстфхһцчҹшщ', 'aaaaiiiiiiiooooouuuuubccdfclmnprsstvvzkkkkkkaaaaabvkkdczkklmnprstfkksccss'), '[^a-z]+', ' ', 'g');
  -- patronymic particles dropped as words, the words joined, doubled letters once
  s := regexp_replace(' ' || s || ' ', ' (oklu|okli|oklo|kizi|kisi)(?= )', ' ', 'g');
  s := regexp_replace(replace(s, ' ', ''), '(.)\1+', '\1', 'g');
  -- the first ending rule that matches
  IF s ~ '.ovic$' THEN s := left(s, length(s) - 4) || '';
  ELSIF s ~ '.avic$' THEN s := left(s, length(s) - 4) || '';
  ELSIF s ~ '.ovna$' THEN s := left(s, length(s) - 4) || '';
  ELSIF s ~ '.avna$' THEN s := left(s, length(s) - 4) || '';
  ELSIF s ~ '.ova$' THEN s := left(s, length(s) - 3) || 'ov';
  ELSIF s ~ '.ava$' THEN s := left(s, length(s) - 3) || 'av';
  ELSIF s ~ '.ina$' THEN s := left(s, length(s) - 3) || 'in';
  END IF;
  RETURN s;
END $$;
COMMENT ON FUNCTION dost_fold_name(text) IS 'Folded key of an Azerbaijani name (Latin, Cyrillic, Russian transliteration agree): see data/registry/name-variants.json.';

CREATE INDEX citizens_fold_last_name_idx ON citizens (dost_fold_name(last_name), birth_date);

CREATE SEQUENCE person_match_candidate_id_seq;
CREATE TABLE person_match_candidates (
  candidate_id    bigint PRIMARY KEY DEFAULT nextval('person_match_candidate_id_seq'),
  low_citizen_id  bigint NOT NULL REFERENCES citizens,
  high_citizen_id bigint NOT NULL REFERENCES citizens,
  score           numeric(6, 2) NOT NULL,
  breakdown       jsonb NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'dismissed')),
  found_by        text NOT NULL CHECK (found_by IN ('import', 'match', 'api')),
  found_at        timestamptz NOT NULL DEFAULT now(),
  decided_by      uuid REFERENCES users,
  decided_at      timestamptz,
  reason          text CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 500),
  CHECK (low_citizen_id < high_citizen_id),
  CHECK ((status = 'open') = (decided_at IS NULL)),
  UNIQUE (low_citizen_id, high_citizen_id)
);
ALTER SEQUENCE person_match_candidate_id_seq OWNED BY person_match_candidates.candidate_id;
CREATE INDEX person_match_candidates_open_idx ON person_match_candidates (score DESC, candidate_id) WHERE status = 'open';
CREATE INDEX person_match_candidates_high_idx ON person_match_candidates (high_citizen_id);
COMMENT ON TABLE person_match_candidates IS 'Pairs of citizens that may be the same person, queued for review; a pair is found once and, once decided, not asked again.';
COMMENT ON COLUMN person_match_candidates.candidate_id IS 'Internal key.';
COMMENT ON COLUMN person_match_candidates.low_citizen_id IS 'The pair''s citizen with the lower id.';
COMMENT ON COLUMN person_match_candidates.high_citizen_id IS 'The pair''s citizen with the higher id.';
COMMENT ON COLUMN person_match_candidates.score IS 'Fellegi-Sunter match weight (sum of log2 agreement/disagreement weights); higher is more likely the same person.';
COMMENT ON COLUMN person_match_candidates.breakdown IS 'Field by field: the agreement level and weight of each compared field.';
COMMENT ON COLUMN person_match_candidates.status IS 'open (to review), merged or dismissed.';
COMMENT ON COLUMN person_match_candidates.found_by IS 'What found it: import, match (the registry-wide run) or api.';
COMMENT ON COLUMN person_match_candidates.found_at IS 'When it was found.';
COMMENT ON COLUMN person_match_candidates.decided_by IS 'The officer who merged or dismissed it.';
COMMENT ON COLUMN person_match_candidates.decided_at IS 'When it was decided.';
COMMENT ON COLUMN person_match_candidates.reason IS 'Why it was dismissed (or a note on the merge).';

CREATE SEQUENCE person_merge_id_seq;
CREATE TABLE person_merges (
  merge_id              bigint PRIMARY KEY DEFAULT nextval('person_merge_id_seq'),
  survivor_citizen_id   bigint NOT NULL REFERENCES citizens,
  merged_citizen_id     bigint NOT NULL UNIQUE REFERENCES citizens,
  candidate_id          bigint REFERENCES person_match_candidates,
  moved                 jsonb NOT NULL,
  merged_by             uuid NOT NULL REFERENCES users,
  merged_at             timestamptz NOT NULL DEFAULT now(),
  CHECK (survivor_citizen_id <> merged_citizen_id)
);
ALTER SEQUENCE person_merge_id_seq OWNED BY person_merges.merge_id;
COMMENT ON TABLE person_merges IS 'Each merge of a duplicate person into the surviving record, with what was moved, for audit.';
COMMENT ON COLUMN person_merges.merge_id IS 'Internal key.';
COMMENT ON COLUMN person_merges.survivor_citizen_id IS 'The record kept.';
COMMENT ON COLUMN person_merges.merged_citizen_id IS 'The record merged (its merged_into points at the survivor; its FIN keeps working).';
COMMENT ON COLUMN person_merges.candidate_id IS 'The reviewed candidate pair, if the merge came from the queue.';
COMMENT ON COLUMN person_merges.moved IS 'Counts of rows moved to the survivor, by table, and assignments ended as conflicts.';
COMMENT ON COLUMN person_merges.merged_by IS 'The officer who merged.';
COMMENT ON COLUMN person_merges.merged_at IS 'When.';
