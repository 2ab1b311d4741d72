#!/usr/bin/env bash
# Runs once, when the PostgreSQL container initialises an empty data directory: creates the login role the services
# use and one database per service, owned by it (each service migrates its own schema with Flyway at start-up).
set -euo pipefail
: "${IOT_DB_USERNAME:=iot}"
: "${IOT_DB_PASSWORD:?IOT_DB_PASSWORD must be set}"

psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER}" --dbname postgres \
    -v iot_user="${IOT_DB_USERNAME}" -v iot_password="${IOT_DB_PASSWORD}" <<'SQL'
CREATE ROLE :"iot_user" LOGIN PASSWORD :'iot_password';
CREATE DATABASE gateway OWNER :"iot_user";
CREATE DATABASE registry OWNER :"iot_user";
CREATE DATABASE shadow OWNER :"iot_user";
CREATE DATABASE rules OWNER :"iot_user";
CREATE DATABASE policy OWNER :"iot_user";
CREATE DATABASE sink OWNER :"iot_user";
SQL
