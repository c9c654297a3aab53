"""Django's SQLite backend, with writers of one process queued on a lock instead of SQLite's busy handler.

SQLite lets one transaction write at a time. A thread whose `BEGIN IMMEDIATE` finds the database locked
sleeps in SQLite's busy handler, whose naps grow to 25, 50 and 100 ms whatever the holder is doing: under
sixteen concurrent API writers most of a second was spent asleep while the lock stood free. Here the
threads of the server process queue on a Python lock per database file, taken before `BEGIN IMMEDIATE`
and handed on the moment the transaction commits or rolls back. Another process (a command-line import)
still meets SQLite's own lock and its busy timeout, as before.

The wait for the lock is bounded by the connection's `timeout`: past it the transaction begins anyway
and SQLite decides, so a transaction left open by mistake costs a "database is locked" error, never a hang.
"""

import threading

from django.db.backends.sqlite3 import base

_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def writer_lock(name: str) -> threading.Lock:
    """The one lock of this process for the database file `name`."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_writer_lock: threading.Lock | None = None

    def _start_transaction_under_autocommit(self):
        # Only an IMMEDIATE transaction takes SQLite's write lock at BEGIN; a deferred one may only read.
        # An in-memory database (the test suite's) has one connection shared by its threads: nothing to queue.
        if self.transaction_mode == "IMMEDIATE" and not self.is_in_memory_db() and self._held_writer_lock is None:
            lock = writer_lock(str(self.settings_dict["NAME"]))
            timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
            if lock.acquire(timeout=timeout):
                self._held_writer_lock = lock
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release_writer_lock()
            raise

    def _release_writer_lock(self) -> None:
        lock, self._held_writer_lock = self._held_writer_lock, None
        if lock is not None:
            lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release_writer_lock()
