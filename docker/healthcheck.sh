#!/usr/bin/env bash
# Container health = the service's readiness (database and Kafka binder included). The JRE image has no curl,
# so this speaks just enough HTTP over bash's /dev/tcp.
set -euo pipefail
port="${IOT_HTTP_PORT:-8080}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /actuator/health/readiness HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
status_line="$(timeout 4 head -n 1 <&3)"
[[ "${status_line}" =~ ^HTTP/1\.[01]\ 200 ]]
