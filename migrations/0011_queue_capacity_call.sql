-- Front office, second pass.
--
-- 1. Slot capacity follows the open windows during the day. When a manager closes a window or
--    changes its skills, the slots of the rest of the day get the capacity the open windows now
--    give. Bookings already made stay valid even when they are now above capacity: they are
--    counted in kept_over_capacity, which only goes down (a booking released), so no new booking
--    can use them. The CHECK still makes overbooking impossible whatever the application does.
--
-- 2. Call-next is one statement: queue_call_next() checks the center and the roster, takes the
--    window's lock, picks and claims the next ticket (FOR UPDATE SKIP LOCKED), runs the appointment
--    no-show sweep when asked and appends the ticket.called event (which NOTIFYs), all in the
--    implicit transaction of one round trip. Each statement inside the function takes a new
--    snapshot, so the check for a ticket still at the window sees what a call that held the
--    window lock before committed.
--
-- 3. The no-show sweep reads only booked appointments (a partial index), not a center's history.

ALTER TABLE queue_slots ADD COLUMN kept_over_capacity integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN queue_slots.kept_over_capacity IS 'Bookings kept above capacity after the open windows shrank during the day (booked minus capacity, at least 0); lowered as bookings are released, never used by a new booking.';
COMMENT ON COLUMN queue_slots.capacity IS 'Appointments the slot takes: a share of the open windows with the skill, the rest is kept for walk-ins; follows window changes for the rest of the day.';

ALTER TABLE queue_slots DROP CONSTRAINT queue_slots_not_overbooked;
ALTER TABLE queue_slots ADD CONSTRAINT queue_slots_not_overbooked
  CHECK (booked >= 0 AND kept_over_capacity >= 0 AND booked <= capacity + kept_over_capacity);
COMMENT ON CONSTRAINT queue_slots_not_overbooked ON queue_slots IS 'No slot holds more bookings than its capacity plus the bookings kept when its capacity was lowered.';

CREATE INDEX queue_appointments_booked_idx ON queue_appointments (center_code, starts_at) WHERE status = 'booked';

-- The appointment no-show sweep, used by the API (hall, report, slots, check-in) and by
-- queue_call_next(); same statement as before, now also lowering kept_over_capacity.
CREATE FUNCTION queue_mark_appointment_no_shows(p_center text, p_now timestamptz, p_grace_minutes integer) RETURNS integer
LANGUAGE sql AS $$
  WITH gone AS (
    UPDATE queue_appointments a SET status = 'no_show', updated_at = p_now
      FROM queue_slots s
     WHERE a.center_code = p_center AND a.status = 'booked' AND a.starts_at < p_now
       AND s.center_code = a.center_code AND s.service_code = a.service_code AND s.starts_at = a.starts_at
       AND s.starts_at + make_interval(mins => s.minutes + p_grace_minutes) < p_now
    RETURNING a.center_code, a.service_code, a.starts_at
  ), freed AS (
    UPDATE queue_slots s SET booked = s.booked - g.n, kept_over_capacity = greatest(s.kept_over_capacity - g.n, 0)
      FROM (SELECT center_code, service_code, starts_at, count(*)::int AS n FROM gone GROUP BY 1, 2, 3) g
     WHERE s.center_code = g.center_code AND s.service_code = g.service_code AND s.starts_at = g.starts_at
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM gone)::int
$$;
COMMENT ON FUNCTION queue_mark_appointment_no_shows(text, timestamptz, integer) IS 'Marks as no-shows the booked appointments of a center whose slot ended more than p_grace_minutes before p_now, and gives back their units of the slot. Idempotent; returns how many were marked.';

-- Calls at one window, and changes of the window, take turns: a transaction-level advisory lock
-- per window rather than the window's row lock, because a row lock writes WAL and gives the
-- transaction an id, so even a call that finds nothing to call would wait for a WAL flush at
-- commit. With the advisory lock a call that finds nothing writes nothing.
CREATE FUNCTION queue_lock_window(p_center text, p_window integer) RETURNS void
LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtext('queue-window:' || p_center), p_window)
$$;
COMMENT ON FUNCTION queue_lock_window(text, integer) IS 'Takes the lock of one window of a center until the end of the transaction: calls at the window and changes of the window (open, close, skills) take turns.';

-- One call-next in one round trip. The outcome says what happened:
--   no_center, center_not_open (detail_status = the status of the center), not_rostered
--   (roster_window = the window of the caller on the roster of the day, NULL when not on it), no_window,
--   window_closed, busy (detail_number and detail_status of the ticket still at the window),
--   empty (nothing to call), called (ticket = the ticket now called).
-- Lock order, the same as everywhere in the queue: the window's lock, then ticket, appointment
-- and slot rows (the sweep), then the center's event lock last, so no two transactions wait on
-- each other in a cycle.
CREATE FUNCTION queue_call_next(
  p_center text, p_window integer, p_date date, p_now timestamptz, p_due_by timestamptz,
  p_user uuid, p_roster_user uuid, p_sweep_grace_minutes integer
) RETURNS TABLE (outcome text, detail_number text, detail_status text, roster_window integer, ticket queue_tickets)
LANGUAGE plpgsql AS $$
DECLARE
  v_status text;
  v_open boolean;
  v_skills text[];
  v_picked bigint;
  v_ticket queue_tickets;
BEGIN
  SELECT c.status INTO v_status FROM centers c WHERE c.center_code = p_center;
  IF NOT FOUND THEN
    outcome := 'no_center';
    RETURN NEXT;
    RETURN;
  END IF;
  IF v_status <> 'open' THEN
    outcome := 'center_not_open';
    detail_status := v_status;
    RETURN NEXT;
    RETURN;
  END IF;
  -- With a roster for the day, only the operator rostered to the window may call there
  -- (p_roster_user is NULL for center managers and admins).
  IF p_roster_user IS NOT NULL AND EXISTS (SELECT 1 FROM queue_rosters r WHERE r.center_code = p_center AND r.work_date = p_date) THEN
    SELECT r.window_no INTO roster_window FROM queue_rosters r
     WHERE r.center_code = p_center AND r.work_date = p_date AND r.user_id = p_roster_user;
    IF roster_window IS DISTINCT FROM p_window THEN
      outcome := 'not_rostered';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;

  -- The window's lock (see queue_lock_window); a new snapshot after it: what a call or a window
  -- change that held it before us committed is seen below.
  PERFORM queue_lock_window(p_center, p_window);
  SELECT w.is_open, w.skills INTO v_open, v_skills FROM queue_windows w WHERE w.center_code = p_center AND w.window_no = p_window;
  IF NOT FOUND THEN
    outcome := 'no_window';
  ELSIF NOT v_open THEN
    outcome := 'window_closed';
  ELSE
    SELECT q.number, q.status INTO detail_number, detail_status FROM queue_tickets q
     WHERE q.center_code = p_center AND q.window_no = p_window AND q.status IN ('called', 'serving') LIMIT 1;
    IF FOUND THEN
      outcome := 'busy';
    ELSE
      -- Tickets transferred to this window, due appointments, disability, elderly, then first come
      -- first served; tickets transferred to another window are left to it.
      SELECT q.ticket_id INTO v_picked FROM queue_tickets q
       WHERE q.center_code = p_center AND q.service_date = p_date AND q.status = 'waiting'
         AND q.service_code = ANY (v_skills)
         AND (q.target_window_no IS NULL OR q.target_window_no = p_window)
       ORDER BY CASE WHEN q.target_window_no = p_window THEN 0
                     WHEN q.priority = 'appointment' AND q.due_at <= p_due_by THEN 1
                     WHEN q.priority = 'disability' THEN 2
                     WHEN q.priority = 'elderly' THEN 3
                     ELSE 4 END,
                q.queued_at, q.ticket_id
       LIMIT 1
       FOR UPDATE SKIP LOCKED;
      IF v_picked IS NULL THEN
        outcome := 'empty';
      ELSE
        UPDATE queue_tickets q SET status = 'called', called_at = p_now, window_no = p_window,
               operator_user_id = p_user, target_window_no = NULL
         WHERE q.ticket_id = v_picked
        RETURNING q.* INTO v_ticket;
        outcome := 'called';
      END IF;
    END IF;
  END IF;

  IF p_sweep_grace_minutes IS NOT NULL THEN
    PERFORM queue_mark_appointment_no_shows(p_center, p_now, p_sweep_grace_minutes);
  END IF;

  IF outcome = 'called' THEN
    -- The center's event lock, held to commit, before the event id is drawn: a center's event
    -- ids are in commit order (see the queue_events table).
    PERFORM pg_advisory_xact_lock(hashtext('queue:' || p_center));
    INSERT INTO queue_events (center_code, at, kind, ticket_id, window_no, user_id, payload)
    VALUES (p_center, p_now, 'ticket.called', v_ticket.ticket_id, v_ticket.window_no, p_user,
            jsonb_build_object('ticketId', v_ticket.ticket_id, 'number', v_ticket.number, 'status', v_ticket.status,
                               'serviceCode', v_ticket.service_code, 'windowNo', v_ticket.window_no,
                               'targetWindowNo', v_ticket.target_window_no));
    ticket := v_ticket;
  END IF;
  RETURN NEXT;
END $$;
COMMENT ON FUNCTION queue_call_next(text, integer, date, timestamptz, timestamptz, uuid, uuid, integer) IS 'Calls the next ticket to a window in one statement: center and roster checks, window lock, pick with FOR UPDATE SKIP LOCKED by skills and priority, the optional appointment no-show sweep and the ticket.called event. Returns the outcome and, when called, the ticket.';
