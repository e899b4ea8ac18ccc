#!/usr/bin/env bash
# Makes the test databases answer: MariaDB on MYSQL_URL (default mysql://root@127.0.0.1:3306) and
# PostgreSQL on POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres). For each: nothing to do
# when it answers; start it when installed; install it from Debian's packages when not.
set -euo pipefail

# host and port of a URL: sets HOST and PORT (default port $2).
hostport_of() {
  local hostport="${1#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"; hostport="${hostport%%\?*}"
  HOST="${hostport%%:*}"; PORT="${hostport##*:}"; [ "$PORT" = "$hostport" ] && PORT="$2"
  return 0
}

answers() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Fails unless the server may be started here (local, root).
may_start() {
  case "$1" in 127.0.0.1|localhost) ;; *)
    echo "[db] $1:$2 does not answer and is not local; start that server or set $3" >&2; return 1 ;;
  esac
  if [ "$(id -u)" != 0 ]; then echo "[db] no server on $1:$2 and not root: start $4 yourself" >&2; return 1; fi
}

ensure_mariadb() {
  hostport_of "${MYSQL_URL:-mysql://root@127.0.0.1:3306}" 3306
  if answers "$HOST" "$PORT"; then return 0; fi
  may_start "$HOST" "$PORT" MYSQL_URL MariaDB
  if [ ! -x /usr/sbin/mariadbd ]; then
    echo "[db] installing mariadb-server from Debian's packages" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mariadb-server mariadb-client >&2
  fi
  install -d -o mysql -g mysql /run/mysqld
  if [ ! -d /var/lib/mysql/mysql ]; then
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db >/dev/null
  fi
  echo "[db] starting mariadbd" >&2
  start-stop-daemon --start --oknodo --background --pidfile /run/mysqld/mysqld.pid --exec /usr/sbin/mariadbd -- --user=mysql
  for _ in $(seq 1 100); do
    if mariadb-admin --protocol=socket -uroot ping >/dev/null 2>&1; then break; fi
    sleep 0.2
  done
  # root over TCP with an empty password, as the default MYSQL_URL expects.
  mariadb --protocol=socket -uroot <<'SQL'
ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('');
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
SQL
  for _ in $(seq 1 50); do answers "$HOST" "$PORT" && return 0; sleep 0.2; done
  echo "[db] MariaDB did not answer on $HOST:$PORT" >&2; return 1
}

ensure_postgres() {
  hostport_of "${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}" 5432
  if answers "$HOST" "$PORT"; then return 0; fi
  may_start "$HOST" "$PORT" POSTGRES_URL PostgreSQL
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "[db] installing postgresql from Debian's packages" >&2
    apt-get update -qq >&2
    # Its post-install creates the cluster <version>/main; starting it through systemd may fail here.
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql postgresql-client >&2 || true
  fi
  local version
  version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
  if [ ! -d "/etc/postgresql/$version/main" ]; then pg_createcluster "$version" main >&2; fi
  # The postgres user over TCP from this machine without a password, as the default POSTGRES_URL expects.
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -Eq '^host[[:space:]]+all[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  fi
  sed -i "s/^#\?port = .*/port = $PORT/" "/etc/postgresql/$version/main/postgresql.conf"
  echo "[db] starting PostgreSQL $version" >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || pg_ctlcluster --skip-systemctl-redirect "$version" main reload >&2
  for _ in $(seq 1 50); do answers "$HOST" "$PORT" && return 0; sleep 0.2; done
  echo "[db] PostgreSQL did not answer on $HOST:$PORT" >&2; return 1
}

ensure_mariadb
ensure_postgres
