"""The page version board: with a cache in each process's own memory, every
process of the site on the machine reads the public version from one small
mapped file instead of asking the database on every page. A publish by any of
them is on the next page; a board that cannot be trusted is not used."""

import contextlib
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection as db_connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from articles import pagecache, versionboard
from articles.models import PublicVersion
from articles.versionboard import BoardUnusable, VersionBoard
from tests.articles.test_page_cache import (  # noqa: F401 - clock and site are fixtures.
    NEW_TEXT,
    at_once,
    clock,
    hit_header,
    page_cache,
    republish_with_new_text,
    site,
    wsgi,
)


@pytest.fixture
def board_dir(tmp_path, clock):  # noqa: F811
    """The page cache with its version on a board in a fresh directory, the
    clock stopped (no comparison with the database falls due by itself)."""
    with (
        page_cache(VERSION_IN="board", BOARD_DIR=str(tmp_path), CHECK_SECONDS=5),
        mock.patch.object(pagecache, "_after_commit", at_once),
    ):
        yield tmp_path
    pagecache._close_board()


def board_path():
    return Path(pagecache.options()["BOARD_DIR"]) / pagecache._board_name()


def on_board():
    board = VersionBoard(str(board_path()))
    try:
        return board.read()
    finally:
        board.close()


def database_version():
    return PublicVersion.objects.get().value


def raised_in_another_process(version):
    """What a publish in another process (the publish timer, another web
    worker) does after it commits: a forked child raises the board through the
    page cache's own code, on its own open file."""
    child = os.fork()
    if child == 0:  # pragma: no cover - the child's outcome is its exit code.
        code = 1
        try:
            pagecache._raise_cached_version(version)
            code = 0 if pagecache._version_source() == "board" else 2
        finally:
            os._exit(code)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def board_warnings(caplog):
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "articles.pagecache" and "board" in record.getMessage()
    ]


@pytest.mark.django_db
def test_a_hit_reads_no_database(article, site, board_dir):  # noqa: F811
    django, front = site
    url = article.get_absolute_url()
    wsgi(front, url)  # Made, and the board compared with the database.
    with (
        CaptureQueriesContext(db_connection) as queries,
        mock.patch.object(
            pagecache, "_database_version_now", side_effect=AssertionError
        ),
    ):
        pages = [wsgi(front, url) for _ in range(3)]
    assert [hit_header(headers) for _status, headers, _body in pages] == ["hit"] * 3
    assert len(queries) == 0
    assert django.requests == 1
    assert on_board() == database_version()


@pytest.mark.django_db
def test_a_publish_in_this_process_is_on_the_next_page(
    article,
    team,
    site,  # noqa: F811
    board_dir,
):
    django, front = site
    url = article.get_absolute_url()
    wsgi(front, url)
    assert hit_header(wsgi(front, url)[1]) == "hit"

    republish_with_new_text(article, team)

    assert on_board() == database_version()
    status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
    assert wsgi(front, url)[2] == body


@pytest.mark.django_db
def test_a_publish_in_another_process_is_on_the_next_page(
    article,
    team,
    site,  # noqa: F811
    board_dir,
):
    """The stopped clock keeps this process from asking the database: only the
    board can tell it about the other process's publish."""
    django, front = site
    url = article.get_absolute_url()
    wsgi(front, url)
    assert hit_header(wsgi(front, url)[1]) == "hit"
    # The content and the version change in the database, but this process
    # leaves the board alone: the other process raises it.
    with mock.patch.object(pagecache, "_move_cached_version", lambda: None):
        republish_with_new_text(article, team)
    assert hit_header(wsgi(front, url)[1]) == "hit"  # Nobody told the board yet.

    raised_in_another_process(database_version())

    status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()


@pytest.mark.django_db
def test_a_publish_the_board_missed_is_seen_within_the_check_interval(
    article,
    team,
    site,  # noqa: F811
    board_dir,
    clock,  # noqa: F811
):
    """A publish by a process that could not write the board (another server,
    another container, a permission problem): the database alone moved."""
    django, front = site
    url = article.get_absolute_url()
    wsgi(front, url)
    before = on_board()
    with mock.patch.object(pagecache, "_move_cached_version", lambda: None):
        republish_with_new_text(article, team)
    assert on_board() == before

    clock[0] += 4.9
    assert hit_header(wsgi(front, url)[1]) == "hit"  # Allowed, within 5 seconds.

    clock[0] += 0.1
    status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
    # Put back on the board for every process.
    assert on_board() == database_version() > before
    assert hit_header(wsgi(front, url)[1]) == "hit"


@pytest.mark.django_db
def test_a_database_restored_from_a_backup_sets_the_board_back(
    article,
    team,
    site,  # noqa: F811
    board_dir,
    clock,  # noqa: F811
    caplog,
):
    """The board only ever goes up, but a restored database starts again from a
    smaller number: left alone, the board would hide every publish until the
    database caught up."""
    django, front = site
    url = article.get_absolute_url()
    restored = database_version()
    PublicVersion.objects.update(value=restored + 10)  # The site went on...
    wsgi(front, url)
    assert on_board() == restored + 10
    PublicVersion.objects.update(value=restored)  # ...then the backup came back.

    clock[0] += 5
    wsgi(front, url)
    assert on_board() == restored
    republish_with_new_text(article, team)
    status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
    assert any("went back" in line for line in board_warnings(caplog))


# Raise only: a smaller number never replaces a larger one.


def test_a_smaller_number_never_replaces_a_larger_one(tmp_path):
    board = VersionBoard(str(tmp_path / "board"))
    assert board.read() is None
    board.raise_to(7)
    board.raise_to(3)
    board.raise_to(7)
    assert board.read() == 7
    assert not board.lower(6, 2)  # It holds 7, not 6: left alone.
    assert board.read() == 7
    board.close()


RAISER = """
import sys
from articles.versionboard import VersionBoard

board = VersionBoard(sys.argv[1])
start = int(sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
for version in range(start, 80_001, 4):
    board.raise_to(version)
    board.raise_to(version // 2)  # Refused.
    if board.read() < version:
        sys.exit(f"{version} was on the board, then a smaller number")
"""


def test_processes_and_threads_raising_at_once_end_with_the_largest(tmp_path):
    """Two processes and two threads raise it in turns, while a reader
    watches: it ends with the largest number any of them wrote, and the reader
    never saw it go down or half written."""
    path = str(tmp_path / "board")
    board = VersionBoard(path)
    went_down, torn = [], []
    stop = threading.Event()

    def reader():
        last = 0
        while not stop.is_set():
            try:
                now = board.read() or 0
            except BoardUnusable as error:
                torn.append(error)
                continue
            if now < last:
                went_down.append((last, now))
            last = now
            time.sleep(0)  # Lets the raising threads run between reads.

    def raiser(start):
        for version in range(start, 80_001, 4):
            board.raise_to(version)
            if board.read() < version:
                went_down.append(version)

    processes = [
        subprocess.Popen(
            [sys.executable, "-c", RAISER, path, str(start)],
            cwd=Path(versionboard.__file__).parent.parent,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for start in (1, 2)
    ]
    threads = [
        threading.Thread(target=raiser, args=(start,), daemon=True) for start in (3, 4)
    ]
    watcher = threading.Thread(target=reader, daemon=True)
    try:
        for process in processes:
            assert process.stdout.readline() == "ready\n"
        watcher.start()
        for process in processes:
            process.stdin.write("go\n")
            process.stdin.flush()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        exits = [process.wait(120) for process in processes]
    finally:
        stop.set()
        for process in processes:
            process.kill()
            process.wait()
    watcher.join(10)

    # Every writer finished: a thread still raising would find the board closed
    # under it by the next test.
    assert [thread.is_alive() for thread in threads + [watcher]] == [False] * 3
    assert exits == [0, 0]
    assert board.read() == 80_000  # The largest any of them raised it to.
    assert went_down == []
    assert torn == []
    board.close()


# Forking is what the test is about (gunicorn forks its workers); threads a
# library of the test run keeps (none of the board's) make Python warn of it.
@pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning"
)
def test_a_forked_process_takes_the_board_lock_of_its_own(tmp_path):
    """Web workers are forked: a lock taken through the parent's open file
    would not keep a child and its parent apart."""
    with page_cache(VERSION_IN="board", BOARD_DIR=str(tmp_path)):
        board = pagecache._open_board()
        board.raise_to(1)
        with board._locked():
            child = os.fork()
            if child == 0:  # pragma: no cover - the child's outcome is its exit code.
                try:
                    pagecache._raise_cached_version(2)
                finally:
                    os._exit(0)
            time.sleep(0.3)  # Long enough for a child that does not wait.
            held_while_locked = board.read()
        os.waitpid(child, 0)
        assert held_while_locked == 1
        assert board.read() == 2
    pagecache._close_board()


# A board that cannot be trusted or used: the database is asked on every page.


def unwritable(directory):
    """The directory made read-only (root ignores that: the refusal a user
    would meet is given instead)."""
    directory.chmod(0o500)
    if os.geteuid() != 0:
        return contextlib.nullcontext()
    real_open = os.open

    def refuse(path, flags, *args):
        if str(path).startswith(str(directory)):
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, flags, *args)

    return mock.patch.object(versionboard.os, "open", refuse)


def wrong_size(directory):
    board_path().write_bytes(b"1234567")
    return contextlib.nullcontext()


def someone_elses(directory):
    VersionBoard(str(board_path())).close()
    return mock.patch.object(versionboard.os, "geteuid", lambda: os.getuid() + 1)


def writable_by_others(directory):
    VersionBoard(str(board_path())).close()
    board_path().chmod(0o622)
    return contextlib.nullcontext()


def a_link(directory):
    (directory / "elsewhere").write_bytes(bytes(16))
    board_path().symlink_to(directory / "elsewhere")
    return contextlib.nullcontext()


def spoilt(directory):
    board_path().write_bytes(b"not a version!!!")
    return contextlib.nullcontext()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fault",
    [unwritable, wrong_size, someone_elses, writable_by_others, a_link, spoilt],
)
def test_a_board_that_cannot_be_used_leaves_the_version_to_the_database(
    article,
    team,
    site,  # noqa: F811
    board_dir,
    caplog,
    django_assert_num_queries,
    fault,
):
    django, front = site
    url = article.get_absolute_url()
    pagecache._warnings.forget()
    with fault(board_dir), caplog.at_level(logging.WARNING):
        wsgi(front, url)
        with django_assert_num_queries(1):  # The version, from the database.
            status, headers, body = wsgi(front, url)
        assert hit_header(headers) == "hit"
        republish_with_new_text(article, team)
        status, headers, body = wsgi(front, url)
        again = wsgi(front, url)
    board_dir.chmod(0o700)
    assert status == "200 OK"
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
    assert hit_header(again[1]) == "hit"
    [warning] = board_warnings(caplog)
    assert "read from the database" in warning


@pytest.mark.django_db
def test_no_board_directory_means_the_version_from_the_database(
    article,
    team,
    site,  # noqa: F811
    board_dir,
    caplog,
    django_assert_num_queries,
):
    """``PAGE_CACHE_BOARD_DIR=""`` is a choice, not a fault: nothing to log."""
    django, front = site
    url = article.get_absolute_url()
    with page_cache(VERSION_IN="auto", BOARD_DIR=""):
        assert pagecache._version_source() == "database"
        wsgi(front, url)
        with django_assert_num_queries(1):
            assert hit_header(wsgi(front, url)[1]) == "hit"
        republish_with_new_text(article, team)
        status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
    assert board_warnings(caplog) == []
    assert list(board_dir.iterdir()) == []


# Where the board is, and whose.


@pytest.mark.django_db
def test_auto_uses_the_board_with_a_local_memory_cache_only(board_dir):
    with page_cache(VERSION_IN="auto", BOARD_DIR=str(board_dir)):
        assert pagecache._version_source() == "board"
        redis = {"default": {"BACKEND": "infosite.cache.FailOpenRedisCache"}}
        with override_settings(CACHES=redis):
            assert pagecache._version_source() == "cache"


@pytest.mark.django_db
def test_the_board_is_the_site_users_own(article, site, board_dir):  # noqa: F811
    django, front = site
    wsgi(front, article.get_absolute_url())
    found = board_path().stat()
    assert found.st_mode & 0o777 == 0o600
    assert found.st_uid == os.geteuid()
    assert found.st_size == versionboard.SIZE


def test_two_sites_or_two_databases_never_share_a_board(settings, monkeypatch):
    name = pagecache._board_name()
    monkeypatch.setitem(db_connection.settings_dict, "NAME", "another_site")
    assert pagecache._board_name() != name
    monkeypatch.undo()
    assert pagecache._board_name() == name
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": "another-site"}
    }
    assert pagecache._board_name() != name


@pytest.mark.django_db
def test_a_board_removed_while_the_site_runs_is_made_again(
    article,
    team,
    site,  # noqa: F811
    board_dir,
    clock,  # noqa: F811
):
    """Someone removes the file (a clean-up of /dev/shm): each process finds
    out at its next comparison with the database and opens the new board, so
    the processes started since, which made it, and the old ones agree again."""
    django, front = site
    url = article.get_absolute_url()
    wsgi(front, url)
    board_path().unlink()
    clock[0] += 5
    assert hit_header(wsgi(front, url)[1]) == "hit"  # Found gone.
    assert hit_header(wsgi(front, url)[1]) == "hit"  # The new one, compared.
    assert on_board() == database_version()

    with mock.patch.object(pagecache, "_move_cached_version", lambda: None):
        republish_with_new_text(article, team)
    raised_in_another_process(database_version())
    status, headers, body = wsgi(front, url)
    assert hit_header(headers) == "miss"
    assert NEW_TEXT in body.decode()
