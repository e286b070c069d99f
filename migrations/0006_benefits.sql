-- Proactive benefits: declared household income (a fact the rules read), offers waiting for the
-- citizen's consent, assignments (never overlapping for the same benefit, person and subject),
-- and notifications to the citizen. Every decision keeps the rule id, version and the parameter
-- values it used.

CREATE SEQUENCE household_income_declaration_id_seq;
CREATE TABLE household_income_declarations (
  household_id       bigint NOT NULL REFERENCES households,
  declaration_id     bigint NOT NULL DEFAULT nextval('household_income_declaration_id_seq'),
  declared_on        date NOT NULL,
  monthly_income_azn numeric(12, 2) NOT NULL CHECK (monthly_income_azn >= 0),
  source             text NOT NULL,
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (household_id, declaration_id)
);
ALTER SEQUENCE household_income_declaration_id_seq OWNED BY household_income_declarations.declaration_id;
COMMENT ON TABLE household_income_declarations IS 'Average monthly income of a household over the last 12 months, as declared or reported; the income fact of targeted social assistance.';
COMMENT ON COLUMN household_income_declarations.household_id IS 'The household.';
COMMENT ON COLUMN household_income_declarations.declaration_id IS 'Increasing id.';
COMMENT ON COLUMN household_income_declarations.declared_on IS 'From when the figure holds.';
COMMENT ON COLUMN household_income_declarations.monthly_income_azn IS 'Income of the last 12 months divided by 12, AZN.';
COMMENT ON COLUMN household_income_declarations.source IS 'Who reported it (application, tax service, employer register, ...).';
COMMENT ON COLUMN household_income_declarations.created_at IS 'When it was recorded here.';

CREATE SEQUENCE benefit_decision_id_seq;

CREATE TABLE benefit_offers (
  citizen_id   bigint NOT NULL REFERENCES citizens,
  offer_id     bigint NOT NULL DEFAULT nextval('benefit_decision_id_seq'),
  benefit_id   text NOT NULL,
  subject_key  text NOT NULL,
  rule_version integer NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'withdrawn')),
  amount_azn   double precision NOT NULL,
  period_from  date NOT NULL,
  period_to    date,
  eval_date    date NOT NULL,
  parameters   jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  decided_at   timestamptz,
  PRIMARY KEY (citizen_id, offer_id)
);
CREATE UNIQUE INDEX benefit_offers_one_pending ON benefit_offers (citizen_id, benefit_id, subject_key) WHERE status = 'pending';
COMMENT ON TABLE benefit_offers IS 'Proactive offers of benefits whose law needs the citizen''s consent; accepting one creates an assignment.';
COMMENT ON COLUMN benefit_offers.citizen_id IS 'Who is offered the benefit.';
COMMENT ON COLUMN benefit_offers.offer_id IS 'Increasing id (shared sequence with assignments).';
COMMENT ON COLUMN benefit_offers.benefit_id IS 'Rule id of the benefit, e.g. old_age_pension.';
COMMENT ON COLUMN benefit_offers.subject_key IS 'What the benefit is for: person, household:<id>, child:<citizen id>, deceased:<citizen id>.';
COMMENT ON COLUMN benefit_offers.rule_version IS 'Version of the rule that made the offer.';
COMMENT ON COLUMN benefit_offers.status IS 'pending, accepted (an assignment was made) or withdrawn (no longer eligible).';
COMMENT ON COLUMN benefit_offers.amount_azn IS 'Computed amount (monthly or one-off), AZN.';
COMMENT ON COLUMN benefit_offers.period_from IS 'First day the benefit would be paid for.';
COMMENT ON COLUMN benefit_offers.period_to IS 'Day after the last day (exclusive); NULL when open-ended or one-off.';
COMMENT ON COLUMN benefit_offers.eval_date IS 'Date the rule was evaluated at (facts and parameters as of this day).';
COMMENT ON COLUMN benefit_offers.parameters IS 'Parameter values used, with the date each was in force from.';
COMMENT ON COLUMN benefit_offers.created_at IS 'When the offer was made.';
COMMENT ON COLUMN benefit_offers.decided_at IS 'When it was accepted or withdrawn.';

CREATE TABLE benefit_assignments (
  citizen_id    bigint NOT NULL REFERENCES citizens,
  assignment_id bigint NOT NULL DEFAULT nextval('benefit_decision_id_seq'),
  benefit_id    text NOT NULL,
  subject_key   text NOT NULL,
  rule_version  integer NOT NULL,
  payment       text NOT NULL CHECK (payment IN ('one_off', 'monthly')),
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
  amount_azn    double precision NOT NULL,
  period_from   date NOT NULL,
  period_to     date,
  eval_date     date NOT NULL,
  parameters    jsonb NOT NULL,
  offer_id      bigint,
  ended_reason  text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  ended_at      timestamptz,
  PRIMARY KEY (citizen_id, assignment_id),
  CHECK (period_to IS NULL OR period_to > period_from)
);
CREATE UNIQUE INDEX benefit_assignments_one_open ON benefit_assignments (citizen_id, benefit_id, subject_key) WHERE period_to IS NULL;
CREATE INDEX benefit_assignments_subject_idx ON benefit_assignments (benefit_id, subject_key);
COMMENT ON TABLE benefit_assignments IS 'Benefits assigned: directly where the law needs no consent, or after an accepted offer. Periods of the same benefit, person and subject never overlap.';
COMMENT ON COLUMN benefit_assignments.citizen_id IS 'Who receives the benefit.';
COMMENT ON COLUMN benefit_assignments.assignment_id IS 'Increasing id (shared sequence with offers).';
COMMENT ON COLUMN benefit_assignments.benefit_id IS 'Rule id of the benefit.';
COMMENT ON COLUMN benefit_assignments.subject_key IS 'What the benefit is for: person, household:<id>, child:<citizen id>, deceased:<citizen id>.';
COMMENT ON COLUMN benefit_assignments.rule_version IS 'Version of the rule that decided it.';
COMMENT ON COLUMN benefit_assignments.payment IS 'one_off (lump sum) or monthly.';
COMMENT ON COLUMN benefit_assignments.status IS 'active, or ended (facts changed, period over, recalculated).';
COMMENT ON COLUMN benefit_assignments.amount_azn IS 'Amount (monthly or one-off), AZN.';
COMMENT ON COLUMN benefit_assignments.period_from IS 'First day paid for (the payment day of a one-off).';
COMMENT ON COLUMN benefit_assignments.period_to IS 'Day after the last day (exclusive); NULL while open-ended. One-offs cover one day.';
COMMENT ON COLUMN benefit_assignments.eval_date IS 'Date the rule was evaluated at.';
COMMENT ON COLUMN benefit_assignments.parameters IS 'Parameter values used, with the date each was in force from.';
COMMENT ON COLUMN benefit_assignments.offer_id IS 'The accepted offer, when consent was needed.';
COMMENT ON COLUMN benefit_assignments.ended_reason IS 'Why it ended: not_eligible, recalculated, ...';
COMMENT ON COLUMN benefit_assignments.created_at IS 'When the decision was made.';
COMMENT ON COLUMN benefit_assignments.ended_at IS 'When it was ended.';

-- No overlap, on both engines (btree_gist is not available everywhere): an advisory lock per
-- benefit, person and subject serialises writers, then any overlapping period is refused.
CREATE FUNCTION benefit_assignments_no_overlap() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(NEW.benefit_id || '|' || NEW.subject_key), (NEW.citizen_id % 2147483647)::int);
  IF EXISTS (SELECT 1 FROM benefit_assignments a
              WHERE a.citizen_id = NEW.citizen_id AND a.benefit_id = NEW.benefit_id AND a.subject_key = NEW.subject_key
                AND a.assignment_id <> NEW.assignment_id
                AND daterange(a.period_from, a.period_to) && daterange(NEW.period_from, NEW.period_to)) THEN
    RAISE EXCEPTION 'overlapping assignment of % for citizen % (%)', NEW.benefit_id, NEW.citizen_id, NEW.subject_key USING ERRCODE = '23P01';
  END IF;
  RETURN NEW;
END $$;
COMMENT ON FUNCTION benefit_assignments_no_overlap() IS 'Refuses an assignment whose period overlaps another of the same benefit, person and subject.';
CREATE TRIGGER benefit_assignments_no_overlap BEFORE INSERT OR UPDATE ON benefit_assignments
  FOR EACH ROW EXECUTE FUNCTION benefit_assignments_no_overlap();

CREATE TABLE benefit_notifications (
  citizen_id      bigint NOT NULL REFERENCES citizens,
  notification_id bigint GENERATED ALWAYS AS IDENTITY,
  kind            text NOT NULL CHECK (kind IN ('assigned', 'offered', 'ended', 'recalculated')),
  benefit_id      text NOT NULL,
  decision_id     bigint NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  read_at         timestamptz,
  PRIMARY KEY (citizen_id, notification_id)
);
COMMENT ON TABLE benefit_notifications IS 'Messages to the citizen about benefit decisions; the text is rendered in the reader''s language.';
COMMENT ON COLUMN benefit_notifications.citizen_id IS 'Whom it is for.';
COMMENT ON COLUMN benefit_notifications.notification_id IS 'Increasing id.';
COMMENT ON COLUMN benefit_notifications.kind IS 'assigned, offered, ended or recalculated.';
COMMENT ON COLUMN benefit_notifications.benefit_id IS 'Rule id of the benefit.';
COMMENT ON COLUMN benefit_notifications.decision_id IS 'The offer or assignment it is about.';
COMMENT ON COLUMN benefit_notifications.created_at IS 'When it was created.';
COMMENT ON COLUMN benefit_notifications.read_at IS 'When the citizen read it.';
