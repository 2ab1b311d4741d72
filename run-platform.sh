#!/usr/bin/env bash
# Starts the whole platform in one JVM: embedded Kafka (KRaft) and PostgreSQL, and the six services.
# Builds it first when the jar is missing or older than the sources. Needs only a JDK 17.
# Options (or IOT_* environment variables): --data-dir=DIR keeps data across restarts; --mqtt-port, --kafka-port,
# --postgres-port, --gateway-port ... --sink-port; --kafka-bootstrap-servers / --postgres-url for external ones.
# With --data-dir the embedded PostgreSQL is durable (fsync on); without it data is temporary and fsync is off.
set -euo pipefail
cd "$(dirname "$0")"
jar=launcher/target/openiot-platform.jar
newer=""
if [ -f "$jar" ]; then
  newer=$(find . -path '*/target' -prune -o -path ./.git -prune -o -type f \
    \( -name '*.java' -o -name '*.yml' -o -name '*.sql' -o -name '*.xml' \) -newer "$jar" -print -quit)
fi
if [ ! -f "$jar" ] || [ -n "$newer" ]; then
  echo "Building the platform (first run or sources changed)..."
  ./mvnw -B -q -ntp install -DskipTests
fi
exec java ${JAVA_OPTS:-} -jar "$jar" "$@"
