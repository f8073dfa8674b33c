"""Faults with real processes: kill -9 mid-build, full disk, unwritable target, concurrent builds, readers during a build."""
from __future__ import annotations

import hashlib
import os
import random
import resource
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from conftest import ROOT

BUILD = [sys.executable, "-m", "etl", "build"]


def digest(path) -> str:
    return hashlib.sha256(path.resolve().read_bytes()).hexdigest()


def readable(db) -> bool:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM coverage_kommun").fetchall()[0][0] > 0


def start_build(source, db, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([*BUILD, "--source", str(source), "--db", str(db)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


@pytest.fixture
def live(demo_source, tmp_path):
    db = tmp_path / "live" / "fc.duckdb"
    assert start_build(demo_source, db).wait() == 0
    return db


def test_kill_9_at_random_moments_never_damages_the_database_in_use(demo_source, live):
    started = time.monotonic()
    assert start_build(demo_source, live).wait() == 0
    duration = time.monotonic() - started
    rng = random.Random(20261125)
    outcomes = {"killed before publishing": 0, "finished before the kill": 0}
    for _ in range(20):
        before_target, before_digest = live.resolve(), digest(live)
        proc = start_build(demo_source, live)
        time.sleep(rng.uniform(0.2, duration * 1.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert readable(live)
        if live.resolve() == before_target:
            assert digest(live) == before_digest
            outcomes["killed before publishing"] += 1
        else:
            outcomes["finished before the kill"] += 1
    print(outcomes)
    assert outcomes["killed before publishing"] >= 10
    assert start_build(demo_source, live).wait() == 0
    leftovers = [p.name for p in (live.parent / ".fc.duckdb.gen").iterdir() if not p.name.endswith(".duckdb")]
    assert leftovers == []


def limit_file_size():
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2_000_000, 2_000_000))


def test_a_full_disk_gives_a_clear_error_and_no_damage(demo_source, live):
    before_target, before_digest = live.resolve(), digest(live)
    proc = start_build(demo_source, live, preexec_fn=limit_file_size)
    _, err = proc.communicate()
    assert proc.returncode == 2
    assert "kunde inte skrivas" in err and "oförändrad" in err and "Traceback" not in err
    assert live.resolve() == before_target and digest(live) == before_digest
    assert [p for p in (live.parent / ".fc.duckdb.gen").iterdir() if ".part" in p.name] == []


def test_an_unwritable_target_gives_a_clear_error(demo_source, tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    proc = start_build(demo_source, blocker / "fc.duckdb")
    _, err = proc.communicate()
    assert proc.returncode == 2 and "kunde inte skrivas" in err and "Traceback" not in err


def test_a_second_build_at_the_same_time_is_refused(demo_source, live):
    first = start_build(demo_source, live)
    gen = live.parent / ".fc.duckdb.gen"
    deadline = time.monotonic() + 30
    while not any(".part" in p.name for p in gen.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.02)
    second = start_build(demo_source, live)
    _, err = second.communicate()
    assert first.wait() == 0
    assert second.returncode == 3 and "pågår redan" in err
    assert readable(live)


def test_eight_sessions_read_pages_while_builds_run(demo_source, live):
    env = {**os.environ, "FC_DB": str(live)}
    readers = [subprocess.Popen([sys.executable, str(ROOT / "tests" / "fault_reader.py"), "12"], cwd=ROOT, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    generations = {live.resolve()}
    time.sleep(3)
    for _ in range(2):
        assert start_build(demo_source, live).wait() == 0
        generations.add(live.resolve())
    results = [reader.communicate() for reader in readers]
    runs = [tuple(map(int, out.split())) for out, _ in results]
    print("page runs, errors per session:", runs)
    assert len(generations) == 3
    assert all(errors == 0 and count > 0 for count, errors in runs), [err for _, err in results]
