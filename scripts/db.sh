#!/usr/bin/env bash
# Makes a MariaDB answer on MYSQL_URL (default mysql://root@127.0.0.1:3306):
# nothing to do when it answers; start it when installed; install it from Debian's packages when not.
set -euo pipefail
URL="${MYSQL_URL:-mysql://root@127.0.0.1:3306}"
hostport="${URL#*://}"; hostport="${hostport#*@}"; hostport="${hostport%%/*}"
HOST="${hostport%%:*}"; PORT="${hostport##*:}"; [ "$PORT" = "$hostport" ] && PORT=3306

answers() { (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; }

if answers; then exit 0; fi
case "$HOST" in 127.0.0.1|localhost) ;; *)
  echo "[db] $HOST:$PORT does not answer and is not local; start that server or set MYSQL_URL" >&2; exit 1 ;;
esac
if [ "$(id -u)" != 0 ]; then echo "[db] no server on $HOST:$PORT and not root: start MariaDB yourself" >&2; exit 1; fi

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
for _ in $(seq 1 50); do answers && exit 0; sleep 0.2; done
echo "[db] MariaDB did not answer on $HOST:$PORT" >&2; exit 1
