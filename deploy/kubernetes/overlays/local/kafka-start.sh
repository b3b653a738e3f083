#!/usr/bin/env bash
# Starts the apache/kafka image (KRaft, one node) with SASL/SCRAM-SHA-512 on its client listener. Used by
# docker-compose.yml and by this overlay (kept here because kustomize reads files only below the overlay).
#
# The image has no setting for SCRAM users, and in KRaft they live in the metadata log, so they are created when the
# storage is first formatted (`kafka-storage format --add-scram`), before the image's own start script runs; that
# script then finds the storage "already formatted" and starts the broker. Passwords are read from files
# ($KAFKA_SECRETS_DIR/kafka-<user>.password) and reach kafka-storage through an argument file (`@file`, read by its
# argument parser), never a command line that `ps` would show. The broker's own JAAS login and the health check's
# client properties are written to a private temporary folder, mode 600.
#
# Environment: KAFKA_SCRAM_USERS (space-separated users; the first is the broker's own, inter-broker user),
# KAFKA_SECRETS_DIR (default /run/secrets), CLUSTER_ID, and the image's KAFKA_* settings.
set -euo pipefail
secrets="${KAFKA_SECRETS_DIR:-/run/secrets}"
read -r -a users <<< "${KAFKA_SCRAM_USERS:?KAFKA_SCRAM_USERS: the SCRAM users, the broker first}"
: "${CLUSTER_ID:?CLUSTER_ID: the KRaft cluster id}"
broker="${users[0]}"

password() {
  local file="$secrets/kafka-$1.password"
  [ -s "$file" ] || { echo "kafka-start: $file is missing (deploy/generate-secrets.sh)" >&2; exit 1; }
  tr -d '\n' < "$file"
}

umask 077
work=/tmp/talkback-kafka
rm -rf "$work" && mkdir "$work"
jaas_line="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$broker\" password=\"$(password "$broker")\";"

# The broker's own login on its SASL listener (inter-broker); SCRAM verifies clients against the metadata log.
printf 'KafkaServer {\n  %s\n};\n' "$jaas_line" > "$work/jaas.conf"
export KAFKA_OPTS="${KAFKA_OPTS:-} -Djava.security.auth.login.config=$work/jaas.conf"

# For the health check and an operator's `kafka-topics.sh --command-config` inside the container.
printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\nsasl.jaas.config=%s\n' "$jaas_line" \
  > "$work/client.properties"

data="${KAFKA_LOG_DIRS:-/var/lib/kafka/data}"
if [ ! -f "$data/meta.properties" ]; then
  # The same server properties the image derives from the environment (KafkaDockerWrapper: KAFKA_ dropped, lower
  # case, _ -> ., ___ -> -, __ -> _), so that the storage is formatted for the configuration the broker runs with.
  while IFS='=' read -r key value; do
    case "$key" in
      KAFKA_VERSION|KAFKA_HEAP_OPTS|KAFKA_LOG4J_OPTS|KAFKA_OPTS|KAFKA_JMX_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|\
      KAFKA_GC_LOG_OPTS|KAFKA_LOG4J_ROOT_LOGLEVEL|KAFKA_LOG4J_LOGGERS|KAFKA_TOOLS_LOG4J_LOGLEVEL|KAFKA_JMX_HOSTNAME|\
      KAFKA_SCRAM_USERS|KAFKA_SECRETS_DIR) continue ;;
      KAFKA_*) ;;
      *) continue ;;
    esac
    name="${key#KAFKA_}"; name="${name,,}"; name="${name//_/.}"; name="${name//.../-}"; name="${name//../_}"
    echo "$name=$value"
  done < <(env) > "$work/format.properties"
  {
    echo format
    echo "--cluster-id=$CLUSTER_ID"
    echo "--config=$work/format.properties"
    for user in "${users[@]}"; do
      echo "--add-scram=SCRAM-SHA-512=[name=$user,password=$(password "$user")]"
    done
  } > "$work/format.args"
  echo "kafka-start: formatting $data with the SCRAM users ${users[*]}"
  /opt/kafka/bin/kafka-storage.sh "@$work/format.args"
  rm -f "$work/format.args"
fi

exec /etc/kafka/docker/run
