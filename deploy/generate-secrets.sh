#!/usr/bin/env bash
# Writes the random secrets of the containerised stacks into gitignored folders; nothing secret is ever committed:
#   deploy/secrets/                            docker-compose.yml (env_file: and secrets:)
#   deploy/kubernetes/overlays/local/secrets/  the local Kubernetes overlay (secretGenerator files:/envs:)
# Usage: deploy/generate-secrets.sh [FOLDER...]   (default: both folders above)
#
# Idempotent: a value that exists is kept, only missing ones are created. That matters because Kafka's SCRAM users
# and MongoDB's users are created from these values once, when their storage is first initialised: a new password
# for an existing volume would lock the services out. To rotate, change the user's password in Kafka (kafka-configs
# --alter --add-config 'SCRAM-SHA-512=[password=...]') or MongoDB (db.changeUserPassword) and in the file, or drop
# the volumes and the folder together.
#
# One value per file (`<name>`, no newline), from /dev/urandom, hex so that it needs no escaping in a MongoDB URI or a
# JAAS line. The `*.env` files are derived from them on every run (KEY=VALUE lines, what both `env_file:` and
# `secretGenerator envs:` read). The folder is mode 700; the files are 644 because docker compose bind-mounts them
# into containers that run as other users (Kafka 1000, MongoDB 999).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Each service's own user, in Kafka and in MongoDB, and its own database.
services=(comment-service moderation-service notification-service)
declare -A database=([comment-service]=comments [moderation-service]=moderation [notification-service]=notification)

random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# Prints the value in $dir/$1, creating it first if missing.
value() {
  local file="$dir/$1"
  if [ ! -s "$file" ]; then
    (umask 022; random > "$file.tmp" && mv "$file.tmp" "$file")
  fi
  cat "$file"
}

jaas() {
  printf 'org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";' "$1" "$2"
}

# KEY=VALUE lines readable by docker compose's env_file and by kustomize's secretGenerator envs (no quotes around
# values: both would keep them).
service_env() {
  local service="$1" db="${database[$1]}"
  echo "SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG=$(jaas "$service" "$(value "kafka-$service.password")")"
  echo "SPRING_MONGODB_URI=mongodb://$service:$(value "mongo-$service.password")@mongo:27017/$db?authSource=$db"
  case "$service" in
    comment-service)
      echo "COMMENTS_STATUS_TOKEN_SECRET=$(value comments-status-token.secret)" ;;
    moderation-service)
      # the key of email addresses in its lookups (floods, author history): an HMAC, never the bare hash
      echo "MODERATION_PRIVACY_ADDRESSSECRET=$(value moderation-address.secret)" ;;
    notification-service)
      echo "NOTIFICATION_LINKS_SECRET=$(value notification-link.secret)"
      echo "NOTIFICATION_PRIVACY_ADDRESSSECRET=$(value notification-address.secret)" ;;
  esac
}

generate() {
  dir="$1"
  mkdir -p "$dir"
  chmod 700 "$dir"
  value kafka-broker.password > /dev/null
  value mongo-root.password > /dev/null
  # Only the local Kubernetes demo uses it (no OIDC issuer there): the HMAC key of locally minted moderator tokens.
  value local-signing.key > /dev/null
  for service in "${services[@]}"; do
    (umask 022; service_env "$service" > "$dir/$service.env.tmp" && mv "$dir/$service.env.tmp" "$dir/$service.env")
  done
  # KEDA's Kafka scaler reads the consumer groups' lag as a user of its own (TriggerAuthentication keys).
  (umask 022; {
    echo "sasl=scram_sha512"
    echo "username=keda"
    echo "password=$(value kafka-keda.password)"
  } > "$dir/keda-kafka.env.tmp" && mv "$dir/keda-kafka.env.tmp" "$dir/keda-kafka.env")
  echo "secrets in ${dir#"$root"/} (kept if present)"
}

if [ $# -eq 0 ]; then
  set -- "$root/deploy/secrets" "$root/deploy/kubernetes/overlays/local/secrets"
fi
for target in "$@"; do
  generate "$(mkdir -p "$target" && cd "$target" && pwd)"
done
