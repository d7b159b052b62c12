#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the tests (Debian's postgresql package).
#   eval "$(tools/pg_test_server.sh start)"   # starts one, exports IGOT_TEST_DATABASE_URL and
#                                             # IGOT_TEST_PG_DIR (its folder under /tmp)
#   tools/pg_test_server.sh stop "$IGOT_TEST_PG_DIR"   # stops it and removes the folder
# As root the server runs as the postgres user (PostgreSQL refuses to run as root), so the
# cluster lives under /tmp, never in the repository (which may be root-owned).
set -euo pipefail

bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    echo "pg_test_server: PostgreSQL is not installed (apt-get install postgresql)" >&2
    exit 1
  fi
  echo "$dir"
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start() {
  local bin dir port
  bin=$(bin_dir)
  dir=$(mktemp -d /tmp/igot-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_owner "$bin/initdb" -D "$dir/data" -U igot -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Only on 127.0.0.1; the socket in the server's own folder; bounded connections.
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=100" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U igot igot_test
  echo "export IGOT_TEST_DATABASE_URL=postgresql://igot@127.0.0.1:$port/igot_test"
  echo "export IGOT_TEST_PG_DIR=$dir"
}

stop() {
  local dir=${1:-}
  if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
    echo "pg_test_server: give the folder printed by start (IGOT_TEST_PG_DIR)" >&2
    exit 1
  fi
  as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
