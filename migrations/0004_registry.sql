-- Citizen registry: people, households and append-only life events.
-- Citizen-owned tables carry citizen_id first in their primary key so they can be
-- hash-distributed and co-located by citizen (Citus).

CREATE SEQUENCE citizen_id_seq;
CREATE TABLE citizens (
  citizen_id     bigint PRIMARY KEY DEFAULT nextval('citizen_id_seq'),
  fin            char(7) NOT NULL UNIQUE CHECK (fin ~ '^[0-9A-HJ-NP-Z]{7}$'),
  last_name      text NOT NULL,
  first_name     text NOT NULL,
  patronymic     text,
  birth_date     date NOT NULL,
  sex            char(1) NOT NULL CHECK (sex IN ('M', 'F')),
  district_code  text NOT NULL REFERENCES districts,
  address        text,
  phone          text CHECK (phone ~ '^\+994[0-9]{9}$'),
  id_card_number text CHECK (id_card_number ~ '^(AA[0-9]{7}|AZE[0-9]{8}|[A-Z]{2}[0-9]{7})$'),
  death_date     date,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE citizen_id_seq OWNED BY citizens.citizen_id;
CREATE INDEX citizens_name_idx ON citizens (lower(last_name), lower(first_name));
CREATE INDEX citizens_district_idx ON citizens (district_code);
COMMENT ON TABLE citizens IS 'Persons known to the social-protection registry.';
COMMENT ON COLUMN citizens.citizen_id IS 'Internal key; the distribution column for every citizen-owned table.';
COMMENT ON COLUMN citizens.fin IS 'Personal identification number (FIN): 7 characters from [0-9A-HJ-NP-Z], lifelong.';
COMMENT ON COLUMN citizens.last_name IS 'Surname.';
COMMENT ON COLUMN citizens.first_name IS 'Given name.';
COMMENT ON COLUMN citizens.patronymic IS 'Father''s name (e.g. Əli oğlu).';
COMMENT ON COLUMN citizens.birth_date IS 'Date of birth.';
COMMENT ON COLUMN citizens.sex IS 'M or F as recorded on the ID card.';
COMMENT ON COLUMN citizens.district_code IS 'District of registered address.';
COMMENT ON COLUMN citizens.address IS 'Registered address line.';
COMMENT ON COLUMN citizens.phone IS 'Mobile phone +994 and 9 digits.';
COMMENT ON COLUMN citizens.id_card_number IS 'Identity card number: AA+7 digits (chip), AZE+8 digits (old), or 2 letters+7 digits (under 15).';
COMMENT ON COLUMN citizens.death_date IS 'Date of death if recorded.';
COMMENT ON COLUMN citizens.created_at IS 'When the record was created here.';
COMMENT ON COLUMN citizens.updated_at IS 'When the record last changed.';

CREATE SEQUENCE household_id_seq;
CREATE TABLE households (
  household_id  bigint PRIMARY KEY DEFAULT nextval('household_id_seq'),
  district_code text NOT NULL REFERENCES districts,
  address       text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
ALTER SEQUENCE household_id_seq OWNED BY households.household_id;
COMMENT ON TABLE households IS 'Families in the social-assistance sense: people living together with a common household.';
COMMENT ON COLUMN households.household_id IS 'Internal key.';
COMMENT ON COLUMN households.district_code IS 'District of the dwelling.';
COMMENT ON COLUMN households.address IS 'Address of the dwelling.';
COMMENT ON COLUMN households.created_at IS 'When the household was registered.';

CREATE TABLE household_members (
  citizen_id   bigint NOT NULL REFERENCES citizens,
  household_id bigint NOT NULL REFERENCES households,
  relation     text NOT NULL CHECK (relation IN ('head', 'spouse', 'child', 'parent', 'sibling', 'grandchild', 'grandparent', 'other')),
  joined_on    date NOT NULL,
  left_on      date,
  PRIMARY KEY (citizen_id, household_id, joined_on),
  CHECK (left_on IS NULL OR left_on >= joined_on)
);
CREATE INDEX household_members_household_idx ON household_members (household_id);
COMMENT ON TABLE household_members IS 'Membership of a citizen in a household over time.';
COMMENT ON COLUMN household_members.citizen_id IS 'The member.';
COMMENT ON COLUMN household_members.household_id IS 'The household.';
COMMENT ON COLUMN household_members.relation IS 'Relation to the head of household.';
COMMENT ON COLUMN household_members.joined_on IS 'From when.';
COMMENT ON COLUMN household_members.left_on IS 'Until when (exclusive); NULL while a member.';

CREATE SEQUENCE life_event_id_seq;
CREATE TABLE life_events (
  citizen_id  bigint NOT NULL REFERENCES citizens,
  event_id    bigint NOT NULL DEFAULT nextval('life_event_id_seq'),
  type        text NOT NULL CHECK (type IN ('birth', 'death', 'marriage', 'divorce', 'disability_assessment',
                'employment_start', 'employment_end', 'insurance_record', 'jobseeker_registration')),
  occurred_on date NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  source      text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (citizen_id, event_id)
);
ALTER SEQUENCE life_event_id_seq OWNED BY life_events.event_id;
CREATE INDEX life_events_type_idx ON life_events (type, occurred_on);
COMMENT ON TABLE life_events IS 'Append-only history of what happened to a citizen; facts for services and proactive benefits.';
COMMENT ON COLUMN life_events.citizen_id IS 'Whose event (for a birth: the child).';
COMMENT ON COLUMN life_events.event_id IS 'Increasing id.';
COMMENT ON COLUMN life_events.type IS 'birth, death, marriage, divorce, disability_assessment, employment_start, employment_end, insurance_record, jobseeker_registration.';
COMMENT ON COLUMN life_events.occurred_on IS 'When it happened (legal date).';
COMMENT ON COLUMN life_events.recorded_at IS 'When the registry learned of it.';
COMMENT ON COLUMN life_events.source IS 'Which system or office reported it (civil registry, MSEC, e-labour contracts, ...).';
COMMENT ON COLUMN life_events.data IS 'Type-specific facts, validated by the registry module schema.';

CREATE FUNCTION forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END $$;
COMMENT ON FUNCTION forbid_change() IS 'Trigger body that refuses UPDATE and DELETE on append-only tables.';
CREATE TRIGGER life_events_append_only BEFORE UPDATE OR DELETE ON life_events
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION forbid_change();
