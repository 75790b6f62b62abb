-- A restricted database role for InspIRCd's IRC logins (m_sqlauth over m_pgsql), so the IRC
-- server never holds the platform's own database login. It may read what the login query reads
-- ("User": id, username, suspended; "IrcToken": id, userId, tokenHash, revokedAt) and set
-- "IrcToken"."lastUsedAt"; nothing else (no e-mail, password hash, session or stream key).
--
-- Roles belong to the whole server, so the name carries the database's: <database>_irc (cut to
-- fit 63 characters). It is made without LOGIN: the platform's migration runner
-- (enableIrcDatabaseRole) gives it LOGIN and a password derived from IRC_SECRET.
-- Where the migrating user may not create roles (a managed database without CREATEROLE) this does
-- nothing and InspIRCd keeps the platform's login; PGlite has a single user, so there the role
-- exists but is not used (see the README).
DO $$
DECLARE
  irc_role text := left(current_database(), 59) || '_irc';
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole)
  ) THEN
    RAISE NOTICE 'not allowed to create roles: the IRC server keeps the platform database login';
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = irc_role) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', irc_role);
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), irc_role);
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), irc_role);
  EXECUTE format('GRANT SELECT (id, username, suspended) ON TABLE %I.%I TO %I',
    current_schema(), 'User', irc_role);
  EXECUTE format('GRANT SELECT (id, "userId", "tokenHash", "revokedAt"), UPDATE ("lastUsedAt") ON TABLE %I.%I TO %I',
    current_schema(), 'IrcToken', irc_role);
END
$$;
