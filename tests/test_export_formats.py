"""One record per export format, read by `peersim export --format`, the debrief screen's keys
and the names of saved files; and one `-o FILE` writer for every command that writes a file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from debrief_helpers import make_log

from simulator.cli import main
from simulator.cli.output import CannotWrite, write_file
from simulator.debrief import debrief
from simulator.debrief.export import EXPORT_FORMATS, ExportFormat, export, file_name, to_text
from simulator.store import Store
from simulator.tui.screens.debrief import DebriefScreen, export_bindings, export_keys_line

TEXT = ExportFormat("txt", "plain text", ".txt", to_text, key="t")


def listening_log():
    return make_log([{"parts": [("reflection", "It sounds like it's been a hard week.")], "reply": "It has."},
                     {"parts": [("open_question", "What's been hardest?")], "reply": "The nights."}])


@pytest.fixture
def saved(tmp_path):
    data = tmp_path / "data"
    with Store(data) as store:
        session = store.create_session(listening_log())
    return data, session


def test_a_format_added_to_the_record_is_offered_by_export(monkeypatch, saved, tmp_path, capsys):
    monkeypatch.setitem(EXPORT_FORMATS, "txt", TEXT)
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    helped = capsys.readouterr().out
    assert "txt" in helped and "plain text" in helped
    data, session = saved
    out = tmp_path / "debrief.txt"
    assert main(["export", session, "--format", "txt", "-o", str(out), "--data-dir", str(data)]) == 0
    assert out.read_text(encoding="utf-8").startswith("Debrief: Marcus")


def test_a_format_added_to_the_record_gets_a_key_and_a_file_name(monkeypatch):
    monkeypatch.setitem(EXPORT_FORMATS, "txt", TEXT)
    assert ("t", "export('txt')", "Save .txt") in {(b.key, b.action, b.description) for b in export_bindings()}
    assert "t: save as plain text" in export_keys_line()
    log = listening_log()
    log.id = "abc123"
    assert file_name(log, "txt") == f"{log.started_at[:10]}-marcus-abc123.txt"
    assert export(debrief(log), log, "txt").startswith("Debrief: Marcus")


def test_the_debrief_screen_offers_every_format_that_has_a_key():
    keyed = {(f.key, f"export('{f.name}')") for f in EXPORT_FORMATS.values() if f.key}
    bound = {(b.key, b.action) for b in DebriefScreen.BINDINGS}
    assert keyed and keyed <= bound
    assert {"m", "w"} == {key for key, _ in keyed}  # the keys trainees know: Markdown and HTML


def test_export_offers_exactly_the_formats_in_the_record(capsys):
    with pytest.raises(SystemExit):
        main(["export", "last", "--format", "pdf"])
    err = capsys.readouterr().err
    assert all(f"'{name}'" in err for name in EXPORT_FORMATS)


# ----------------------------------------------------------------------------- the -o writer
def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_writer_replaces_a_file_whole_and_keeps_it_private(tmp_path):
    path = tmp_path / "out.md"
    path.write_text("an old debrief that was readable by all\n", encoding="utf-8")
    os.chmod(path, 0o644)
    write_file(path, "new text\n")
    assert path.read_text(encoding="utf-8") == "new text\n" and mode_of(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # nothing half-written left beside it


def test_the_writer_refuses_a_symbolic_link_and_leaves_its_target_alone(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("my own notes\n", encoding="utf-8")
    link = tmp_path / "debrief.md"
    link.symlink_to(target)
    with pytest.raises(CannotWrite, match="symbolic link"):
        write_file(link, "a debrief\n")
    assert target.read_text(encoding="utf-8") == "my own notes\n" and link.is_symlink()


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a folder this user cannot write")
def test_a_failed_write_changes_nothing(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "out.md").write_text("kept\n", encoding="utf-8")
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(CannotWrite, match="cannot write the file"):
            write_file(folder / "out.md", "new\n")
        assert (folder / "out.md").read_text(encoding="utf-8") == "kept\n"
        assert [p.name for p in folder.iterdir()] == ["out.md"]
    finally:
        os.chmod(folder, 0o700)


def commands(data: Path, session: str) -> dict[str, list[str]]:
    return {"export": ["export", session, "--data-dir", str(data)],
            "report": ["report", "--data-dir", str(data)],
            "schema": ["schema", "tree"],
            "graph": ["graph", "guarded"]}


@pytest.mark.parametrize("command", ["export", "report", "schema", "graph"])
def test_every_command_writes_its_file_the_same_way(command, saved, tmp_path, capsys):
    data, session = saved
    argv = commands(data, session)[command]
    out = tmp_path / f"{command}.out"
    assert main([*argv, "-o", str(out)]) == 0
    assert mode_of(out) == 0o600 and out.read_text(encoding="utf-8")
    assert f"wrote {out}" in capsys.readouterr().err
    link = tmp_path / f"{command}.link"
    link.symlink_to(tmp_path / "elsewhere")
    assert main([*argv, "-o", str(link)]) == 1
    assert "symbolic link" in capsys.readouterr().err and not (tmp_path / "elsewhere").exists()
