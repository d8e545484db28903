# Shared by up, down and check. Sourced, not run.
# shellcheck shell=bash disable=SC2034

TESTBED_SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$TESTBED_SRC/../.." && pwd)"
TB="${LOCKSTEP_TESTBED_HOME:-$REPO_ROOT/build/testbed}"
ENV_SH="$TB/env.sh"
ENV_PROPERTIES="$TB/env.properties"
STATE="$TB/state"

# The Debian client, matching the daemon's version (another docker client may come first on PATH).
DOCKER_CLI="${LOCKSTEP_TESTBED_DOCKER_CLI:-/usr/bin/docker}"
DOCKER_SOCKET=/var/run/docker.sock
DOCKER_HOST_URL="unix://$DOCKER_SOCKET"
# vfs works everywhere (no overlay mounts needed); overlay2 creates containers much faster where the kernel allows it.
STORAGE_DRIVER="${LOCKSTEP_TESTBED_STORAGE_DRIVER:-vfs}"

REGISTRY_USER="${LOCKSTEP_TESTBED_REGISTRY_USER:-lockstep}"
REGISTRY_PASSWORD="${LOCKSTEP_TESTBED_REGISTRY_PASSWORD:-lockstep-registry-pw}"
DB_NAME="${LOCKSTEP_TESTBED_DB_NAME:-lockstep_test}"
DB_USER="${LOCKSTEP_TESTBED_DB_USER:-lockstep}"
DB_PASSWORD="${LOCKSTEP_TESTBED_DB_PASSWORD:-lockstep-db-pw}"
PG_CLUSTER=lockstep
MARIADB_SOCKET=/run/mysqld/mysqld.sock

BASE_IMAGE=lockstep/base:bookworm
BUSYBOX_IMAGE=lockstep/busybox:latest
HOST_IMAGE=lockstep/host:bookworm
HOST_DB_IMAGE=lockstep/host-db:bookworm

say() { printf '[testbed] %s\n' "$*"; }
warn() { printf '[testbed] WARNING: %s\n' "$*" >&2; }
die() { printf '[testbed] ERROR: %s\n' "$*" >&2; exit 1; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# First port from $1 upwards that nothing listens on.
free_port() {
  local p=$1
  while port_busy "$p"; do p=$((p + 1)); done
  echo "$p"
}

# One up (or hosts/up, down) at a time on this machine: the daemons, databases and containers are
# machine-wide. A script run by one that holds the lock (LOCKSTEP_TESTBED_LOCK_HELD) does not take it again.
testbed_lock() {
  [ -n "${LOCKSTEP_TESTBED_LOCK_HELD:-}" ] && return 0
  local lockfile="$TB/.lock"
  [ -d /run/lock ] && [ -w /run/lock ] && lockfile=/run/lock/lockstep-testbed.lock
  exec 9>"$lockfile"
  flock 9
  export LOCKSTEP_TESTBED_LOCK_HELD=1
}

# The environment files tests read: every $TB/env.d/*.list (KEY=VALUE lines, written by up and
# hosts/up) in name order, as build/testbed/env.sh (sourceable) and build/testbed/env.properties.
write_env_files() {
  local kv v
  local -a vars=()
  mkdir -p "$TB/env.d"
  while IFS= read -r kv; do
    [ -n "$kv" ] && vars+=("$kv")
  done < <(cat /dev/null "$TB"/env.d/*.list 2>/dev/null)
  {
    echo "# Written by src/testbed/up: how to reach the integration testbed. Source it."
    for kv in "${vars[@]}"; do printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"; done
  } >"$ENV_SH.tmp" && mv "$ENV_SH.tmp" "$ENV_SH"
  {
    echo "# Written by src/testbed/up: how to reach the integration testbed."
    for kv in "${vars[@]}"; do
      v=${kv#*=}; v=${v//\\/\\\\}; v=${v//:/\\:}
      printf '%s=%s\n' "${kv%%=*}" "$v"
    done
  } >"$ENV_PROPERTIES.tmp" && mv "$ENV_PROPERTIES.tmp" "$ENV_PROPERTIES"
}

# Small key=value store for what up decided (ports, who started what).
state_get() { [ -f "$STATE" ] && sed -n "s/^$1=//p" "$STATE" | tail -n 1; }
state_set() {
  mkdir -p "$TB"
  touch "$STATE"
  grep -v "^$1=" "$STATE" >"$STATE.tmp" || true
  echo "$1=$2" >>"$STATE.tmp"
  mv "$STATE.tmp" "$STATE"
}

pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
pidfile_alive() { [ -f "$1" ] && pid_alive "$(cat "$1")"; }

docker_up() { "$DOCKER_CLI" info >/dev/null 2>&1; }

pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1; }
pg_cluster_exists() { pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$PG_CLUSTER" '$1 == v && $2 == c { f = 1 } END { exit !f }'; }
pg_cluster_port() { pg_lsclusters -h 2>/dev/null | awk -v v="$1" -v c="$PG_CLUSTER" '$1 == v && $2 == c { print $3 }'; }

mariadb_up() { mariadb-admin --socket="$MARIADB_SOCKET" -uroot ping >/dev/null 2>&1; }

# Wait until "$@" succeeds, at most $WAIT_SECONDS (default 60) seconds.
wait_for() {
  local what=$1; shift
  local deadline=$((SECONDS + ${WAIT_SECONDS:-60}))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}
