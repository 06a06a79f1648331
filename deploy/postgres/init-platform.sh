#!/bin/sh
# Run by the postgres image on its first start only (an empty data volume), as the superuser:
# creates the platform's role and database exactly as docs/production.md does on an external server.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v app_role=popug -v app_password="$POPUG_DB_PASSWORD" -v read_role=popug_read -v database=popug \
  -f /opt/popug/platform-roles.sql
