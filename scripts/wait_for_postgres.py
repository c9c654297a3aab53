"""Exit 0 when the PostgreSQL server of the URL answers, 1 otherwise (used by make test and CI)."""

import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        connect_timeout=5,
    ).close()
except psycopg.Error as error:
    print(f"PostgreSQL unreachable: {error}", file=sys.stderr)
    sys.exit(1)
