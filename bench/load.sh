#!/usr/bin/env bash
# Ten minutes of mixed traffic against gunicorn with PostgreSQL and Redis (or each
# worker's own page cache, CACHE=local): readers,
# an editor saving through the admin, a publisher publishing (bench/load.py).
# Fails if any request failed, a save was lost or a stale page followed a publish.
#
#   bench/load.sh                    # 10 minutes, 8 readers
#   DURATION=60 READERS=4 bench/load.sh
#   CACHE=local bench/load.sh        # no Redis: each worker's own page cache,
#                                    # the version on the page version board
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8798}
WORKERS=${WORKERS:-2}
DB=infosite_load
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
if [ "${CACHE:-redis}" = local ]; then
  unset REDIS_URL
else
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/13}
fi
export SECRET_KEY="load-test-only-$(date +%s)-not-a-real-secret-key-0123456789"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 LOG_LEVEL=WARNING
export SITE_URL="https://127.0.0.1" BASE_URL="http://127.0.0.1:$PORT"
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend

make -s install
if [ -n "${REDIS_URL:-}" ]; then
  redis-cli -u "$REDIS_URL" ping >/dev/null || { echo "Redis is needed at $REDIS_URL" >&2; exit 1; }
  redis-cli -u "$REDIS_URL" flushdb >/dev/null
fi
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
.venv/bin/python manage.py migrate -v0
# The demo sign-ins (editor, reviewers, publisher) are made in development mode only.
DEBUG=1 .venv/bin/python manage.py load_demo -v0
.venv/bin/python manage.py collectstatic --no-input -v0

.venv/bin/gunicorn infosite.wsgi --config bench/gunicorn.conf.py --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
  --log-level warning &
server=$!
trap 'kill $server; wait $server 2>/dev/null' EXIT
sleep 3

.venv/bin/python bench/load.py
