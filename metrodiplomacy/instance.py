"""Where this instance keeps its data and secret key; importable before Django is configured."""

import os
import secrets
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    return Path(os.environ.get("METRODIP_DATA_DIR") or PACKAGE_DIR.parent / "var").resolve()


def secret_key_file() -> Path:
    return data_dir() / "secret_key"


def ensure_secret_key() -> Path | None:
    """Generate this data directory's secret key once, unless METRODIP_SECRET_KEY provides one."""
    if os.environ.get("METRODIP_SECRET_KEY"):
        return None
    path = secret_key_file()
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(secrets.token_urlsafe(50))
    path.chmod(0o600)
    return path
