-- The platform's database and roles (docs/production.md, "External PostgreSQL"). Run once, as a
-- superuser, with psql:
--
--   psql -v ON_ERROR_STOP=1 -v app_role=popug -v app_password='...' -v read_role=popug_read \
--        -v database=popug -f deploy/postgres/platform-roles.sql
--
-- app_role is what every api, worker and CLI process logs in as. It owns the database and its
-- schema: each process applies pending migrations at start-up, and the projection runtime creates
-- and drops read-model tables and views while it runs (a rebuild builds new tables, swaps the
-- views, drops the old ones). It needs no superuser, CREATEROLE or CREATEDB.
CREATE ROLE :"app_role" LOGIN PASSWORD :'app_password';
CREATE DATABASE :"database" OWNER :"app_role";
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;

-- read_role may read everything (the event log and every read model) and change nothing: for
-- reporting and support. It cannot log in; grant it to the people's own roles
-- (GRANT popug_read TO alice). What it sees includes personal data and beak hashes.
CREATE ROLE :"read_role" NOLOGIN;
GRANT CONNECT ON DATABASE :"database" TO :"read_role";

\connect :database
-- PostgreSQL 14 and older let every role create in schema public; 15 and newer already do not.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO :"app_role";
GRANT USAGE ON SCHEMA public TO :"read_role";
-- Tables and views app_role creates later (migrations, each rebuild's new generation) are readable too.
ALTER DEFAULT PRIVILEGES FOR ROLE :"app_role" IN SCHEMA public GRANT SELECT ON TABLES TO :"read_role";
GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"read_role";
