-- Sign-in attempts, per login name and source address. An attempt is counted (one conditional
-- upsert) before its password is checked, so concurrent guesses cannot check more passwords than
-- LOGIN_MAX_ATTEMPTS; a pair (name, address) that reaches the limit is refused, even with the
-- right password, for a delay that doubles with each further failure. A stranger failing from
-- another address locks only their own pair, never the owner's. Rows exist for any name tried,
-- known or not, so the answer and its timing do not tell which names exist.
CREATE TABLE login_attempts (
  username        text NOT NULL,
  source          text NOT NULL,
  failures        integer NOT NULL CHECK (failures >= 0),
  last_attempt_at timestamptz NOT NULL,
  locked_until    timestamptz,
  PRIMARY KEY (username, source)
);
CREATE INDEX login_attempts_last_idx ON login_attempts (last_attempt_at);
COMMENT ON TABLE login_attempts IS 'Failed or pending sign-in attempts per login name and client address; cleared by a good password, an administrator''s password reset, or after a day without attempts.';
COMMENT ON COLUMN login_attempts.username IS 'Login name as typed (trimmed, lower case); need not be an existing user.';
COMMENT ON COLUMN login_attempts.source IS 'Client address the attempts came from (the proxy-resolved address when TRUST_PROXY is set).';
COMMENT ON COLUMN login_attempts.failures IS 'Attempts counted since the last good password (each is counted before its password is checked).';
COMMENT ON COLUMN login_attempts.last_attempt_at IS 'When the last attempt was counted.';
COMMENT ON COLUMN login_attempts.locked_until IS 'Attempts from this address for this name are refused, unchecked, until this time.';

-- The per-user counter could be driven by anyone, from anywhere, to lock the real user out.
ALTER TABLE users DROP COLUMN failed_attempts;
ALTER TABLE users DROP COLUMN locked_until;
