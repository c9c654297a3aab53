"""Uploaded spreadsheets kept between preview and commit, under MEDIA_ROOT/imports/<token>/.

The commit reads the file kept here, never a second upload, and checks it again (the database may have
changed since the preview). Each folder holds the file as uploaded (`upload`), what the user chose and
what the preview and the commit found (`state.json`), and the commit's progress (`progress.json`), which
the page polls while the commit runs in its own request. Files are written whole and renamed into
place, so a reader never sees half a file.

Why the commit runs in the request: a file within the upload and row limits writes in minutes at worst,
the request's transaction makes it all or nothing, and nothing is left running if the process stops (the
transaction rolls back; the page then says the commit was interrupted and may be run again). The page
polls `progress.json`, which the commit rewrites every few hundred rows.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
KEEP_SECONDS = 7 * 24 * 3600
# A commit whose progress was not rewritten for this long died with its process.
STALE_SECONDS = 120

UPLOADED, PREVIEWED, COMMITTING, COMMITTED, FAILED = "uploaded", "previewed", "committing", "committed", "failed"


def imports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _write_json(path: Path, data: dict) -> None:
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, default=str))
    os.replace(temporary, path)


@dataclass
class StoredImport:
    token: str
    directory: Path
    state: dict

    @property
    def file(self) -> Path:
        return self.directory / "upload"

    @property
    def status(self) -> str:
        return self.state.get("status", UPLOADED)

    def save(self, **changes) -> None:
        self.state.update(changes)
        _write_json(self.directory / "state.json", self.state)

    # -- progress of a running commit ---------------------------------------------------------------------
    def report_progress(self, done: int, total: int, force: bool = False) -> None:
        """Rewrite the progress file every 1 % (and at the end): cheap enough for every row to call."""
        step = max(total // 100, 1)
        if force or done == total or done % step == 0:
            _write_json(self.directory / "progress.json", {"done": done, "total": total, "at": time.time()})

    def progress(self) -> dict:
        try:
            return json.loads((self.directory / "progress.json").read_text())
        except (OSError, ValueError):
            return {"done": 0, "total": 0, "at": 0}

    @property
    def is_stale(self) -> bool:
        """A commit marked running whose progress stopped moving: its process is gone."""
        if self.status != COMMITTING:
            return False
        return time.time() - max(self.progress().get("at", 0), self.state.get("commit_started", 0)) > STALE_SECONDS

    # -- one commit at a time ---------------------------------------------------------------------------
    def claim_commit(self) -> bool:
        """Take the commit lock; False when another request holds it (a double click, a retried request)."""
        lock = self.directory / "commit.lock"
        if self.is_stale:
            lock.unlink(missing_ok=True)
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return False
        os.close(descriptor)
        return True

    def release_commit(self) -> None:
        (self.directory / "commit.lock").unlink(missing_ok=True)


def store_upload(stream: IO[bytes], user_id: int, **choices) -> StoredImport:
    """Keep an uploaded file (already through the upload gate) for its preview and commit."""
    _remove_old()
    token = secrets.token_hex(16)
    directory = imports_root() / token
    directory.mkdir(parents=True, mode=0o700)
    stream.seek(0)
    with open(directory / "upload", "wb") as handle:
        shutil.copyfileobj(stream, handle)
    stored = StoredImport(token, directory, {})
    stored.save(user_id=user_id, status=UPLOADED, created=time.time(), **choices)
    return stored


def load_for_user(token: str, user) -> StoredImport | None:
    """The user's own stored import; another user's, like a missing one, is None."""
    if not TOKEN_RE.match(token or ""):
        return None
    directory = imports_root() / token
    try:
        state = json.loads((directory / "state.json").read_text())
    except (OSError, ValueError):
        return None
    if state.get("user_id") != user.pk:
        return None
    return StoredImport(token, directory, state)


def _remove_old() -> None:
    """Forget uploads older than a week (a preview nobody committed)."""
    root = imports_root()
    if not root.exists():
        return
    limit = time.time() - KEEP_SECONDS
    for directory in root.iterdir():
        if TOKEN_RE.match(directory.name) and directory.stat().st_mtime < limit:
            shutil.rmtree(directory, ignore_errors=True)
