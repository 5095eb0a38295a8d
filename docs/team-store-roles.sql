-- TokenDesk team store: database roles (docs/team-store.md "Database roles").
-- Run as a PostgreSQL superuser (or a role with CREATEROLE and CREATEDB). Replace both passwords.
--
-- tokendesk_owner owns the schema and its tables: TokenDesk uses it once, to create the team store
-- (and again only to upgrade its schema). Members and servers connect as tokendesk_app, which may read
-- and write tokens and members but only add to the audit log, never change or delete a row of it.

CREATE ROLE tokendesk_owner LOGIN PASSWORD 'change-me-owner';
CREATE ROLE tokendesk_app LOGIN PASSWORD 'change-me-app';
CREATE SCHEMA tokendesk AUTHORIZATION tokendesk_owner;
GRANT USAGE ON SCHEMA tokendesk TO tokendesk_app;

-- Every table and sequence the owner creates in the schema (now or in a later TokenDesk version):
-- read, add and change for the app role. The audit log is narrowed below.
ALTER DEFAULT PRIVILEGES FOR ROLE tokendesk_owner IN SCHEMA tokendesk
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO tokendesk_app;
ALTER DEFAULT PRIVILEGES FOR ROLE tokendesk_owner IN SCHEMA tokendesk
  GRANT USAGE, SELECT ON SEQUENCES TO tokendesk_app;

-- After the first member created the team store (connected as tokendesk_owner), run this part:
-- the app role keeps INSERT and SELECT on the audit log, and nothing more.
REVOKE UPDATE, DELETE, TRUNCATE ON tokendesk.team_audit FROM tokendesk_app;
-- Creating the team store and upgrading its schema stay with the owner.
REVOKE INSERT, UPDATE, DELETE ON tokendesk.team_meta FROM tokendesk_app;
