"""Settings for the test suite: production settings with a throw-away key and fast hashing."""

import os

os.environ.setdefault("METRODIP_SECRET_KEY", "tests-only-secret-key-not-for-production")

from metrodiplomacy.settings import *  # noqa: E402,F403

# Argon2/PBKDF2 cost real time per check; tests only need a hash, not a slow one (a test checks that
# production settings keep Argon2).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
# WhiteNoise serves straight from the app folders in tests: no collectstatic run needed.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None
# Persistent connections from the live-server thread would keep PostgreSQL test databases busy at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# The login throttle needs a request on every authenticate(); tests that exercise it turn it back on.
AXES_ENABLED = False
# Query-count tests measure rendering, not the response cache; tests/test_response_cache.py turns it on.
METRODIP_RESPONSE_CACHE = False
