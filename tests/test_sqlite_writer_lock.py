"""The SQLite backend queues the writers of one process on a lock instead of SQLite's busy handler.

These run on their own file databases (the suite's in-memory database is shared by its threads and takes no
lock), through the backend's connection methods in the order `transaction.atomic` calls them.
"""

import threading

import pytest
from django.db.utils import ConnectionHandler, OperationalError

from metrodiplomacy.backends.sqlite3.base import writer_lock


def _connections(path, timeout: float = 20) -> ConnectionHandler:
    return ConnectionHandler(
        {
            "default": {
                "ENGINE": "metrodiplomacy.backends.sqlite3",
                "NAME": str(path),
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                    "transaction_mode": "IMMEDIATE",
                    "timeout": timeout,
                },
            }
        }
    )


def _begin(connection) -> None:
    connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)


def _end(connection, commit: bool = True) -> None:
    if commit:
        connection.commit()
    else:
        connection.rollback()
    connection.set_autocommit(True)


@pytest.fixture
def database(tmp_path, django_db_blocker):
    """A file database of one table; pytest-django's guard is lifted because these are not its databases."""
    with django_db_blocker.unblock():
        yield _created(tmp_path / "writers.sqlite3")


def _created(path):
    connection = _connections(path)["default"]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE written (id INTEGER PRIMARY KEY, writer INTEGER, n INTEGER)")
    connection.close()
    return path


def test_the_lock_is_held_from_begin_until_commit_and_released_after(database):
    connection = _connections(database)["default"]
    lock = writer_lock(str(database))
    _begin(connection)
    assert lock.locked()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO written (writer, n) VALUES (0, 0)")
    _end(connection)
    assert not lock.locked()
    connection.close()


def test_a_rollback_and_a_close_inside_a_transaction_both_release_the_lock(database):
    connection = _connections(database)["default"]
    lock = writer_lock(str(database))
    _begin(connection)
    _end(connection, commit=False)
    assert not lock.locked()
    _begin(connection)
    assert lock.locked()
    connection.close()
    assert not lock.locked()


def test_sixteen_threads_writing_at_once_all_commit_and_nothing_is_lost(database):
    handler = _connections(database)
    problems: list[BaseException] = []

    def write(writer: int) -> None:
        connection = handler["default"]  # one connection per thread, as in the server
        try:
            for n in range(25):
                _begin(connection)
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO written (writer, n) VALUES (%s, %s)", [writer, n])
                _end(connection)
        except BaseException as problem:  # noqa: BLE001 - every failure is reported below
            problems.append(problem)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(writer,)) for writer in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert problems == []
    reader = _connections(database)["default"]
    with reader.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), COUNT(DISTINCT writer) FROM written")
        assert cursor.fetchone() == (400, 16)
    reader.close()
    assert not writer_lock(str(database)).locked()


def test_a_transaction_left_open_makes_the_next_writer_fail_after_its_timeout_not_hang(database):
    holder = _connections(database)["default"]
    _begin(holder)
    outcome: list[str] = []

    def second_writer() -> None:
        connection = _connections(database, timeout=0.3)["default"]
        try:
            _begin(connection)
        except OperationalError as error:
            outcome.append(str(error))
        else:
            outcome.append("began")
        finally:
            connection.close()

    thread = threading.Thread(target=second_writer)
    thread.start()
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert outcome == ["database is locked"]
    _end(holder)
    holder.close()
