#!/usr/bin/env bash
# Makes sure what CI needs is there: installs the Debian packages for the servers the adapters
# start themselves (redis-server, memcached) and for rendering the HTML report (chromium), and
# starts PostgreSQL and MariaDB if they are installed but stopped (the image's own commands).
set -euo pipefail

apt_install() {
  if [ -z "${apt_updated:-}" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

command -v redis-server >/dev/null || apt_install redis-server
command -v memcached >/dev/null || apt_install memcached
# The HTML bench report is checked by rendering it in headless Chromium.
command -v chromium >/dev/null || apt_install chromium

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
fi
if ! mysqladmin ping -h 127.0.0.1 -uroot --silent >/dev/null 2>&1; then
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && mysqladmin ping -h 127.0.0.1 -uroot --silent >/dev/null 2>&1 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432
mysqladmin ping -h 127.0.0.1 -uroot
echo "services ready: redis-server $(redis-server --version | awk '{print $3}')," \
  "memcached $(memcached -V | awk '{print $2}')"
