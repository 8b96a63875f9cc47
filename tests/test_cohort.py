"""A cohort without a server: a trainee's bundle, and the trainer's report over several."""

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.service import branch
from simulator.debrief.bundle import FORMAT, MAX_BYTES, read_bundle
from simulator.store import Store

LISTENING = ["Hi, thanks for coming in.", "It sounds like you didn't really choose to be here.",
             "What's it been like since you got home?"]
ADVICE = ["Hi, thanks for coming in.", "You should get a job and stop moping.", "That was a dumb thing to do."]


def play(tmp_path: Path, data: Path, trainee: str, persona: str, *scripts: list[str]) -> None:
    paths = []
    for i, lines in enumerate(scripts):
        path = tmp_path / f"{trainee}-{persona}-{i}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    assert main(["replay", persona, *paths, "--save", "--trainee", trainee, "--data-dir", str(data)]) == 0


@pytest.fixture
def cohort(tmp_path, capsys):
    """Two trainees' machines: Ana met Marcus twice (and retried one session), Ben met Marcus and Dana."""
    ana, ben = tmp_path / "ana", tmp_path / "ben"
    play(tmp_path, ana, "Ana", "marcus", LISTENING, ADVICE)
    with Store(ana) as store:
        first = store.list_sessions()[-1]
        store.create_session(branch(store.load_session(first.id), 1)[0])
    play(tmp_path, ben, "Ben", "marcus", ADVICE)
    play(tmp_path, ben, "Ben", "dana", LISTENING)
    capsys.readouterr()
    return ana, ben


def export(data: Path, out: Path, *extra: str) -> int:
    return main(["export", "--all", "--bundle", "-o", str(out), "--data-dir", str(data), *extra])


def report(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["report", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def test_a_bundle_is_readable_json_of_only_the_chosen_sessions(cohort, tmp_path, capsys):
    _, ben = cohort
    out = tmp_path / "ben.peersim"
    assert export(ben, out, "--client", "dana") == 0
    assert "1 session in the bundle, under the name Ben" in capsys.readouterr().err
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT and data["trainee"] == "Ben"
    (entry,) = data["sessions"]
    assert entry["log"]["persona_id"] == "dana" and entry["log"]["turns"][0]["trainee"] == LISTENING[0]
    assert set(entry["debrief"]) >= {"overall", "lessons", "states_reached", "rapport_curve"}
    assert out.stat().st_mode & 0o077 == 0
    assert export(ben, tmp_path / "none.peersim", "--since", "2999-01-01") == 1
    assert "no saved sessions match" in capsys.readouterr().err and not (tmp_path / "none.peersim").exists()


def test_bundles_round_trip_into_the_cohort_table_with_retries_apart(cohort, tmp_path, capsys):
    ana, ben = cohort
    a, b = tmp_path / "ana.peersim", tmp_path / "ben.peersim"
    assert export(ana, a) == 0 and export(ben, b) == 0
    status, out, _ = report(capsys, str(a), str(b), "--format", "csv")
    assert status == 0
    rows = {(r["trainee"], r["persona"], r["attempt"]): r for r in rows_of(out)}
    assert set(rows) == {("Ana", "marcus", "first"), ("Ana", "marcus", "retry"), ("Ben", "marcus", "first"),
                         ("Ben", "dana", "first")}
    assert rows[("Ana", "marcus", "first")]["sessions"] == "2" and rows[("Ana", "marcus", "retry")]["sessions"] == "1"
    # The same numbers as each trainee's own report of their data folder.
    assert main(["report", "--format", "csv", "--data-dir", str(ben)]) == 0
    own = {(r["trainee"], r["persona"]): r for r in rows_of(capsys.readouterr().out)}
    for key, row in own.items():
        assert rows[(*key, "first")]["overall"] == row["overall"]
        assert rows[(*key, "first")]["withdrawal_triggers"] == row["withdrawal_triggers"]
    assert rows[("Ben", "marcus", "first")]["withdrawal_triggers"]   # the advice pulled him back


def test_the_html_page_has_every_curve_inline_and_nothing_from_outside(cohort, tmp_path, capsys):
    ana, ben = cohort
    a = tmp_path / "ana.peersim"
    assert export(ana, a) == 0
    status, page, _ = report(capsys, str(a), str(ben), "--format", "html")
    assert status == 0
    tags, links = [], []
    parser = HTMLParser()
    parser.handle_starttag = lambda tag, attrs: (tags.append(tag), links.extend(
        v for k, v in attrs if k in ("src", "href") and v))
    parser.feed(page)
    assert tags.count("svg") == 2          # one chart per client: Marcus and Dana
    assert tags.count("polyline") == 5     # every session's curve: Ana 3 (a retry among them), Ben 2
    assert "stroke-dasharray" in page and "script" not in tags and not links


def test_the_same_bundle_or_folder_twice_counts_once(cohort, tmp_path, capsys):
    ana, _ = cohort
    a = tmp_path / "ana.peersim"
    assert export(ana, a) == 0
    copy = tmp_path / "ana-again.peersim"
    copy.write_bytes(a.read_bytes())
    status, out, _ = report(capsys, str(a), str(copy), str(ana), "--format", "csv")
    assert status == 0
    rows = {(r["trainee"], r["attempt"]): r["sessions"] for r in rows_of(out)}
    assert rows == {("Ana", "first"): "2", ("Ana", "retry"): "1"}
    status, text, _ = report(capsys, str(a), str(copy))
    assert "3 already counted from another file" in text


@pytest.mark.parametrize("damage, said", [
    (lambda p: p.write_text("{ not json", encoding="utf-8"), "bad JSON at line 1"),
    (lambda p: p.write_text(json.dumps({**json.loads(p.read_text()), "format": "peersim.bundle/99"})),
     "format 'peersim.bundle/99'"),
    (lambda p: p.write_text(p.read_text().replace('"seed": 0', '"seed": 7', 1)), "was changed after"),
    (lambda p: p.write_text("[" * 100_000 + "]" * 100_000), "nested too deeply"),
    (lambda p: p.write_text('{"format": "peersim.bundle/1", "x": ' + "[" * 40 + "]" * 40 + "}"),
     "nested too deeply"),
    (lambda p: p.write_bytes(b" " * (MAX_BYTES + 1)), "larger than 64 MB"),
])
def test_a_bad_bundle_is_refused_by_name_and_the_others_still_count(cohort, tmp_path, capsys, damage, said):
    ana, ben = cohort
    good, bad = tmp_path / "ana.peersim", tmp_path / "ben.peersim"
    assert export(ana, good) == 0 and export(ben, bad) == 0
    damage(bad)
    status, out, err = report(capsys, str(good), str(bad), "--format", "csv")
    assert status == 1
    assert f"not counted: {bad}: " in err and said in err
    assert {r["trainee"] for r in rows_of(out)} == {"Ana"}


def test_a_changed_session_with_a_recomputed_checksum_must_still_be_a_session(cohort, tmp_path):
    from simulator.debrief.bundle import BundleError, digest

    _, ben = cohort
    path = tmp_path / "ben.peersim"
    assert export(ben, path) == 0
    data = json.loads(path.read_text())
    data["sessions"][0]["log"]["turns"][0]["rapport_after"] = "lots"
    data["sessions"][0]["sha256"] = digest(data["sessions"][0])
    path.write_text(json.dumps(data))
    with pytest.raises(BundleError, match=r"session 1 is damaged \(turns\.0\.rapport_after"):
        read_bundle(path)


def test_a_bundle_never_makes_the_trainer_open_a_file_it_names(cohort, tmp_path):
    _, ben = cohort
    path = tmp_path / "ben.peersim"
    assert export(ben, path) == 0
    assert all(log.persona_path == "" for log, _ in read_bundle(path).sessions)


def test_a_folder_without_sessions_or_a_missing_file_is_named_not_a_traceback(cohort, tmp_path, capsys):
    ana, _ = cohort
    empty = tmp_path / "empty"
    empty.mkdir()
    status, out, err = report(capsys, str(ana), str(empty), str(tmp_path / "nowhere.peersim"), "--format", "csv")
    assert status == 1
    assert f"{empty}: a folder with no peersim sessions" in err and "nowhere.peersim: not a file" in err
    assert {r["trainee"] for r in rows_of(out)} == {"Ana"}
