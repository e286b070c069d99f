-- Front office: windows, services per center, rosters, appointment slots and appointments,
-- tickets, the append-only queue event log (fed to display boards over SSE) and satisfaction
-- surveys. The queue state lives here, so it survives a restart of any API process.

CREATE TABLE queue_center_services (
  center_code  text NOT NULL REFERENCES centers,
  service_code text NOT NULL REFERENCES services,
  letter       text NOT NULL CHECK (letter ~ '^[A-Z]$'),
  active       boolean NOT NULL DEFAULT true,
  PRIMARY KEY (center_code, service_code)
);
COMMENT ON TABLE queue_center_services IS 'Services a center offers at its windows, with the ticket letter of their service group.';
COMMENT ON COLUMN queue_center_services.center_code IS 'The center.';
COMMENT ON COLUMN queue_center_services.service_code IS 'The service offered.';
COMMENT ON COLUMN queue_center_services.letter IS 'Ticket letter of the service group (one per catalog category), e.g. B in B-047.';
COMMENT ON COLUMN queue_center_services.active IS 'Offered now; an inactive service issues no tickets and no appointments.';

CREATE TABLE queue_windows (
  center_code text NOT NULL REFERENCES centers,
  window_no   integer NOT NULL CHECK (window_no BETWEEN 1 AND 999),
  is_open     boolean NOT NULL DEFAULT true,
  skills      text[] NOT NULL DEFAULT '{}',
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (center_code, window_no)
);
COMMENT ON TABLE queue_windows IS 'Service windows of a center; a window calls only tickets for services in its skills.';
COMMENT ON COLUMN queue_windows.center_code IS 'The center.';
COMMENT ON COLUMN queue_windows.window_no IS 'Window number shown on the display board.';
COMMENT ON COLUMN queue_windows.is_open IS 'Open windows call tickets and count towards slot capacity and wait estimates.';
COMMENT ON COLUMN queue_windows.skills IS 'Service codes the window serves.';
COMMENT ON COLUMN queue_windows.updated_at IS 'Last change of state or skills.';

CREATE TABLE queue_rosters (
  center_code text NOT NULL,
  work_date   date NOT NULL,
  window_no   integer NOT NULL,
  user_id     uuid NOT NULL REFERENCES users,
  PRIMARY KEY (center_code, work_date, window_no),
  UNIQUE (work_date, user_id),
  FOREIGN KEY (center_code, window_no) REFERENCES queue_windows
);
COMMENT ON TABLE queue_rosters IS 'Staff rosters: which operator works at which window on a day (one window per operator per day).';
COMMENT ON COLUMN queue_rosters.center_code IS 'The center.';
COMMENT ON COLUMN queue_rosters.work_date IS 'The working day (Baku time).';
COMMENT ON COLUMN queue_rosters.window_no IS 'The window.';
COMMENT ON COLUMN queue_rosters.user_id IS 'The operator at the window.';

CREATE TABLE queue_slots (
  center_code  text NOT NULL,
  service_code text NOT NULL,
  starts_at    timestamptz NOT NULL,
  minutes      integer NOT NULL CHECK (minutes > 0),
  capacity     integer NOT NULL CHECK (capacity >= 0),
  booked       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (center_code, service_code, starts_at),
  FOREIGN KEY (center_code, service_code) REFERENCES queue_center_services,
  CONSTRAINT queue_slots_not_overbooked CHECK (booked >= 0 AND booked <= capacity)
);
COMMENT ON TABLE queue_slots IS 'Appointment slots, materialised on first look from opening hours, open windows and service durations. The CHECK on booked makes overbooking impossible whatever the application does.';
COMMENT ON COLUMN queue_slots.center_code IS 'The center.';
COMMENT ON COLUMN queue_slots.service_code IS 'The service the slot is for.';
COMMENT ON COLUMN queue_slots.starts_at IS 'Start of the slot.';
COMMENT ON COLUMN queue_slots.minutes IS 'Length of the slot (the service''s counter time, at least 10 minutes).';
COMMENT ON COLUMN queue_slots.capacity IS 'Appointments the slot takes: a share of the open windows with the skill, the rest is kept for walk-ins.';
COMMENT ON COLUMN queue_slots.booked IS 'Appointments booked and not cancelled; never above capacity (CHECK).';

CREATE TABLE queue_appointments (
  appointment_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  confirmation_code text NOT NULL UNIQUE,
  center_code       text NOT NULL,
  service_code      text NOT NULL,
  starts_at         timestamptz NOT NULL,
  citizen_id        bigint,
  booked_by         uuid REFERENCES users,
  status            text NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'checked_in', 'no_show')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (center_code, service_code, starts_at) REFERENCES queue_slots
);
CREATE INDEX queue_appointments_citizen_idx ON queue_appointments (citizen_id);
CREATE INDEX queue_appointments_slot_idx ON queue_appointments (center_code, service_code, starts_at);
COMMENT ON TABLE queue_appointments IS 'Booked appointments; each holds one unit of its slot''s capacity while booked or checked in.';
COMMENT ON COLUMN queue_appointments.appointment_id IS 'Surrogate key.';
COMMENT ON COLUMN queue_appointments.confirmation_code IS 'Code given to the citizen to check in, cancel or move (8 characters, unambiguous alphabet).';
COMMENT ON COLUMN queue_appointments.center_code IS 'The center.';
COMMENT ON COLUMN queue_appointments.service_code IS 'The service.';
COMMENT ON COLUMN queue_appointments.starts_at IS 'Start of the booked slot.';
COMMENT ON COLUMN queue_appointments.citizen_id IS 'The citizen, when booked by or for a known person.';
COMMENT ON COLUMN queue_appointments.booked_by IS 'User who booked (the citizen, or an agent on their behalf).';
COMMENT ON COLUMN queue_appointments.status IS 'booked, cancelled, checked_in or no_show.';
COMMENT ON COLUMN queue_appointments.created_at IS 'When it was booked.';
COMMENT ON COLUMN queue_appointments.updated_at IS 'Last change (cancel, move, check-in).';

CREATE TABLE queue_tickets (
  ticket_id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_code            text NOT NULL REFERENCES centers,
  service_date           date NOT NULL,
  number                 text NOT NULL,
  service_code           text NOT NULL REFERENCES services,
  status                 text NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show')),
  priority               text NOT NULL DEFAULT 'normal' CHECK (priority IN ('appointment', 'disability', 'elderly', 'normal')),
  channel                text NOT NULL CHECK (channel IN ('kiosk', 'volunteer', 'appointment')),
  queued_at              timestamptz NOT NULL,
  due_at                 timestamptz,
  issued_at              timestamptz NOT NULL,
  called_at              timestamptz,
  serving_at             timestamptz,
  finished_at            timestamptz,
  no_show_at             timestamptz,
  last_recalled_at       timestamptz,
  recalls                integer NOT NULL DEFAULT 0,
  transferred_at         timestamptz,
  transfers              integer NOT NULL DEFAULT 0,
  target_window_no       integer,
  window_no              integer,
  operator_user_id       uuid REFERENCES users,
  citizen_id             bigint,
  application_reference  text,
  appointment_id         bigint UNIQUE REFERENCES queue_appointments,
  estimated_wait_minutes integer,
  survey_token           text NOT NULL UNIQUE,
  UNIQUE (center_code, service_date, number)
);
CREATE INDEX queue_tickets_waiting_idx ON queue_tickets (center_code, service_date, queued_at) WHERE status = 'waiting';
CREATE INDEX queue_tickets_window_idx ON queue_tickets (center_code, window_no) WHERE status IN ('called', 'serving');
CREATE INDEX queue_tickets_recent_idx ON queue_tickets (center_code, service_code, finished_at) WHERE status = 'done';
COMMENT ON TABLE queue_tickets IS 'Queue tickets, one per visit; every transition is timestamped. Ticket numbers are unique per center and day.';
COMMENT ON COLUMN queue_tickets.ticket_id IS 'Surrogate key.';
COMMENT ON COLUMN queue_tickets.center_code IS 'The center.';
COMMENT ON COLUMN queue_tickets.service_date IS 'Day of the visit (Baku time); numbering restarts each day.';
COMMENT ON COLUMN queue_tickets.number IS 'Number shown to the citizen: service-group letter and sequence, e.g. B-047.';
COMMENT ON COLUMN queue_tickets.service_code IS 'Service asked for (changes on transfer).';
COMMENT ON COLUMN queue_tickets.status IS 'waiting, called, serving, done or no_show.';
COMMENT ON COLUMN queue_tickets.priority IS 'Priority class: appointment, disability, elderly or normal.';
COMMENT ON COLUMN queue_tickets.channel IS 'How it was issued: kiosk, volunteer (tablet) or appointment check-in.';
COMMENT ON COLUMN queue_tickets.queued_at IS 'Position key within a priority class (issue or check-in time; kept on transfer so the citizen does not go to the back).';
COMMENT ON COLUMN queue_tickets.due_at IS 'For appointments, the booked start; due appointments are called first.';
COMMENT ON COLUMN queue_tickets.issued_at IS 'When the ticket was issued.';
COMMENT ON COLUMN queue_tickets.called_at IS 'When it was (last) called to a window.';
COMMENT ON COLUMN queue_tickets.serving_at IS 'When service began.';
COMMENT ON COLUMN queue_tickets.finished_at IS 'When service ended.';
COMMENT ON COLUMN queue_tickets.no_show_at IS 'When it was marked as a no-show.';
COMMENT ON COLUMN queue_tickets.last_recalled_at IS 'Last time it was called again.';
COMMENT ON COLUMN queue_tickets.recalls IS 'How many times it was called again.';
COMMENT ON COLUMN queue_tickets.transferred_at IS 'Last transfer to another window or service.';
COMMENT ON COLUMN queue_tickets.transfers IS 'How many times it was transferred.';
COMMENT ON COLUMN queue_tickets.target_window_no IS 'When transferred to a specific window, only that window calls it.';
COMMENT ON COLUMN queue_tickets.window_no IS 'Window that called it (last).';
COMMENT ON COLUMN queue_tickets.operator_user_id IS 'Operator who called it (last).';
COMMENT ON COLUMN queue_tickets.citizen_id IS 'The citizen, when identified (optional).';
COMMENT ON COLUMN queue_tickets.application_reference IS 'Application opened or worked on during the visit (optional).';
COMMENT ON COLUMN queue_tickets.appointment_id IS 'Appointment checked in with this ticket.';
COMMENT ON COLUMN queue_tickets.estimated_wait_minutes IS 'Wait estimate given at issue, kept to compare with the actual wait.';
COMMENT ON COLUMN queue_tickets.survey_token IS 'Secret token for the satisfaction survey link (SMS, QR on the slip).';

CREATE TABLE queue_ticket_counters (
  center_code  text NOT NULL,
  service_date date NOT NULL,
  letter       text NOT NULL,
  last_seq     integer NOT NULL,
  PRIMARY KEY (center_code, service_date, letter)
);
COMMENT ON TABLE queue_ticket_counters IS 'Last ticket sequence per center, day and letter (upserted atomically when a ticket is issued).';
COMMENT ON COLUMN queue_ticket_counters.center_code IS 'The center.';
COMMENT ON COLUMN queue_ticket_counters.service_date IS 'The day.';
COMMENT ON COLUMN queue_ticket_counters.letter IS 'Service-group letter.';
COMMENT ON COLUMN queue_ticket_counters.last_seq IS 'Last number issued.';

CREATE TABLE queue_events (
  event_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_code text NOT NULL,
  at          timestamptz NOT NULL,
  kind        text NOT NULL,
  ticket_id   bigint REFERENCES queue_tickets,
  window_no   integer,
  user_id     uuid,
  payload     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX queue_events_center_idx ON queue_events (center_code, event_id);
CREATE INDEX queue_events_ticket_idx ON queue_events (ticket_id);
COMMENT ON TABLE queue_events IS 'Append-only log of ticket transitions and window changes; ids increase in commit order per center, so display boards replay from their Last-Event-ID.';
COMMENT ON COLUMN queue_events.event_id IS 'Increasing id, the SSE event id.';
COMMENT ON COLUMN queue_events.center_code IS 'The center.';
COMMENT ON COLUMN queue_events.at IS 'When it happened.';
COMMENT ON COLUMN queue_events.kind IS 'ticket.issued, ticket.called, ticket.recalled, ticket.serving, ticket.finished, ticket.no_show, ticket.transferred, window.changed.';
COMMENT ON COLUMN queue_events.ticket_id IS 'The ticket, for ticket events.';
COMMENT ON COLUMN queue_events.window_no IS 'The window involved.';
COMMENT ON COLUMN queue_events.user_id IS 'Staff member who acted (NULL for kiosk).';
COMMENT ON COLUMN queue_events.payload IS 'What the display board shows: ticket number, window, status; never personal data.';

CREATE FUNCTION queue_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'queue_events is append-only';
END $$;
CREATE TRIGGER queue_events_no_change BEFORE UPDATE OR DELETE ON queue_events
  FOR EACH ROW EXECUTE FUNCTION queue_events_append_only();

-- Every event is announced on channel queue_events at commit, to every API process listening.
CREATE FUNCTION queue_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('queue_events', json_build_object(
    'id', NEW.event_id, 'center', NEW.center_code, 'kind', NEW.kind, 'at', NEW.at,
    'windowNo', NEW.window_no, 'payload', NEW.payload)::text);
  RETURN NEW;
END $$;
CREATE TRIGGER queue_events_announce AFTER INSERT ON queue_events
  FOR EACH ROW EXECUTE FUNCTION queue_events_notify();

CREATE TABLE queue_survey_questions (
  question_id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_code text REFERENCES centers,
  position    integer NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('rating', 'text', 'yes_no')),
  text_az     text NOT NULL,
  text_ru     text NOT NULL,
  text_en     text NOT NULL,
  active      boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE queue_survey_questions IS 'Extra satisfaction survey questions; center_code NULL applies to every center that has none of its own.';
COMMENT ON COLUMN queue_survey_questions.question_id IS 'Surrogate key.';
COMMENT ON COLUMN queue_survey_questions.center_code IS 'The center, or NULL for the default set.';
COMMENT ON COLUMN queue_survey_questions.position IS 'Display order.';
COMMENT ON COLUMN queue_survey_questions.kind IS 'rating (1-5), text or yes_no.';
COMMENT ON COLUMN queue_survey_questions.text_az IS 'Question in Azerbaijani.';
COMMENT ON COLUMN queue_survey_questions.text_ru IS 'Question in Russian.';
COMMENT ON COLUMN queue_survey_questions.text_en IS 'Question in English.';
COMMENT ON COLUMN queue_survey_questions.active IS 'Asked now.';

INSERT INTO queue_survey_questions (center_code, position, kind, text_az, text_ru, text_en) VALUES
  (NULL, 1, 'yes_no', 'Gözləmə müddəti məqbul idimi?', 'Время ожидания было приемлемым?', 'Was the waiting time acceptable?'),
  (NULL, 2, 'yes_no', 'Məsələniz həll olundumu?', 'Ваш вопрос решён?', 'Was your matter resolved?');

CREATE TABLE queue_survey_responses (
  ticket_id        bigint PRIMARY KEY REFERENCES queue_tickets,
  center_code      text NOT NULL,
  service_code     text NOT NULL,
  window_no        integer,
  operator_user_id uuid,
  rating           integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment          text CHECK (length(comment) <= 1000),
  answers          jsonb NOT NULL DEFAULT '{}',
  channel          text NOT NULL CHECK (channel IN ('kiosk', 'link', 'portal')),
  submitted_at     timestamptz NOT NULL
);
CREATE INDEX queue_survey_responses_center_idx ON queue_survey_responses (center_code, submitted_at);
COMMENT ON TABLE queue_survey_responses IS 'Satisfaction ratings, one per ticket (primary key), tied to its window, operator, service and center.';
COMMENT ON COLUMN queue_survey_responses.ticket_id IS 'The ticket rated.';
COMMENT ON COLUMN queue_survey_responses.center_code IS 'Center of the ticket.';
COMMENT ON COLUMN queue_survey_responses.service_code IS 'Service of the ticket.';
COMMENT ON COLUMN queue_survey_responses.window_no IS 'Window that served it.';
COMMENT ON COLUMN queue_survey_responses.operator_user_id IS 'Operator who served it.';
COMMENT ON COLUMN queue_survey_responses.rating IS 'Overall rating 1-5; 4 and 5 count as satisfied.';
COMMENT ON COLUMN queue_survey_responses.comment IS 'Optional free text.';
COMMENT ON COLUMN queue_survey_responses.answers IS 'Answers to the extra questions {question_id: value}.';
COMMENT ON COLUMN queue_survey_responses.channel IS 'kiosk, link (SMS) or portal.';
COMMENT ON COLUMN queue_survey_responses.submitted_at IS 'When it was given.';
