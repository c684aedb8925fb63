#!/usr/bin/env bash
# Install (Debian's package) and start a PostgreSQL server for the store tests, then export
#   REALPOLITIK_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:$PORT/realpolitik_test
# Use: `source .ci/postgres.sh` (exports the variable) or `bash .ci/postgres.sh` (prints it).
# Idempotent and fast (well under a second) when already installed and running. Runs as root
# (CI containers). A dedicated cluster (not Debian's `main`), trust auth, listening on
# 127.0.0.1 only. Env: RP_PG_PORT (default 5433), RP_PG_CLUSTER (rptest), RP_PG_DB
# (realpolitik_test). On failure it says so and leaves the variable unset (the PostgreSQL
# store tests then skip with that reason); the caller's shell options are not touched.
_rp_pg_url() (
  set -e
  port="${RP_PG_PORT:-5433}" cluster="${RP_PG_CLUSTER:-rptest}" db="${RP_PG_DB:-realpolitik_test}"
  if ! command -v pg_ctlcluster >/dev/null 2>&1 \
    || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    echo "postgres.sh: installing postgresql (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
  fi
  ver="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  clusters="$(pg_lsclusters -h)"
  if ! awk -v v="$ver" -v c="$cluster" '$1==v && $2==c {f=1} END {exit !f}' <<<"$clusters"; then
    echo "postgres.sh: creating cluster $ver/$cluster on port $port" >&2
    pg_createcluster "$ver" "$cluster" --port "$port" -- --auth=trust >/dev/null
    echo "listen_addresses = '127.0.0.1'" >>"/etc/postgresql/$ver/$cluster/postgresql.conf"
    clusters="$(pg_lsclusters -h)"
  fi
  if ! awk -v c="$cluster" '$2==c && $4=="online" {f=1} END {exit !f}' <<<"$clusters"; then
    pg_ctlcluster "$ver" "$cluster" start >&2
  fi
  port="$(awk -v c="$cluster" '$2==c {print $3}' <<<"$clusters")"
  for _ in $(seq 1 100); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.1
  done
  has_db="$(psql -h 127.0.0.1 -p "$port" -U postgres -tAc \
    "SELECT count(*) FROM pg_database WHERE datname = '$db'")"
  if [ "$has_db" != "1" ]; then
    createdb -h 127.0.0.1 -p "$port" -U postgres "$db"
  fi
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/$db"
)
if _rp_pg_url_value="$(_rp_pg_url)"; then
  export REALPOLITIK_TEST_PG_URL="$_rp_pg_url_value"
  echo "REALPOLITIK_TEST_PG_URL=$REALPOLITIK_TEST_PG_URL"
else
  echo "postgres.sh: could not start PostgreSQL; the PostgreSQL store tests will skip" >&2
fi
unset -f _rp_pg_url
unset _rp_pg_url_value
