#!/bin/sh
# Writes deploy/compose.env from deploy/compose.env.example with fresh random secrets, once:
# an existing deploy/compose.env is left as it is.   Usage: sh deploy/compose-env.sh
set -eu
cd "$(dirname "$0")"
if [ -e compose.env ]; then
  echo "deploy/compose.env exists; left unchanged"
  exit 0
fi
random() { head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c "$1"; }
secret_key=$(random 64)
db_password=$(random 32)
umask 077
sed -e "s/^DJANGO_SECRET_KEY=change-me$/DJANGO_SECRET_KEY=$secret_key/" \
    -e "s/^POSTGRES_PASSWORD=change-me$/POSTGRES_PASSWORD=$db_password/" \
    -e "s|^DATABASE_URL=postgres://kantselei:change-me@|DATABASE_URL=postgres://kantselei:$db_password@|" \
    compose.env.example > compose.env
echo "deploy/compose.env written (secrets are random; keep the file out of version control)"
