"""A trainer's own clients: written with `peersim new --local`, listed beside the shipped
ones, played, saved and resumed; a broken file there is listed with its problem and blocks
nothing else (simulator/scenario/library.py)."""

from __future__ import annotations

import io
import json
import sys

import pytest

from simulator.cli import main
from simulator.scenario import library
from simulator.store import Store
from tests.test_tui_support import ASK, REFLECT, REPAIR, make_app, open_client, say, settle

BROKEN = "id: broken\nname: Broken\nsummary: [not closed\ntree: guarded\n"


@pytest.fixture(autouse=True)
def _fresh_library():
    library.configure()
    yield
    library.configure()


@pytest.fixture
def clients(tmp_path, monkeypatch, capsys):
    """A clients folder named by PEERSIM_CLIENTS, with Rosa written by `peersim new --local`
    and a broken persona beside her."""
    folder = tmp_path / "class-clients"
    monkeypatch.setenv("PEERSIM_CLIENTS", str(folder))
    assert main(["new", "persona", "Rosa", "--local"]) == 0
    assert (folder / "personas" / "rosa.yaml").is_file()
    (folder / "personas" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    capsys.readouterr()
    return folder


def _list(capsys, *extra: str) -> tuple[str, list[dict]]:
    assert main(["list", *extra]) == 0
    plain = capsys.readouterr().out
    assert main(["list", "--json", *extra]) == 0
    return plain, json.loads(capsys.readouterr().out)


def test_a_local_client_is_listed_beside_the_shipped_ones_and_a_broken_file_with_its_line(clients, capsys):
    plain, entries = _list(capsys)
    by_id = {e["id"]: e for e in entries}
    assert by_id["rosa"]["local"] is True and by_id["rosa"]["problem"] is None
    assert by_id["marcus"]["local"] is False and by_id["marcus"]["problem"] is None
    assert len([e for e in entries if not e["local"] and not e["problem"]]) == 8   # every shipped client still there
    rosa_line = next(line for line in plain.splitlines() if line.startswith("rosa "))
    assert rosa_line.endswith("(local)") and "Rosa" in rosa_line
    assert not next(line for line in plain.splitlines() if line.startswith("marcus ")).endswith("(local)")
    # The broken one: its file and line, not a card.
    assert f"{clients / 'personas' / 'broken.yaml'}:4" in by_id["broken"]["problem"]
    assert "cannot be started" in plain and "broken.yaml:4" in plain


def test_a_local_client_is_talked_to_saved_and_resumed_by_its_id(clients, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{REFLECT}\n{ASK}\n"))
    assert main(["talk", "rosa"]) == 0
    capsys.readouterr()
    (summary,) = Store().list_sessions()
    assert summary.persona_id == "rosa" and summary.turns == 2
    monkeypatch.setattr(sys, "stdin", io.StringIO(REPAIR[1] + "\n"))
    assert main(["talk", "--resume", "last"]) == 0
    assert Store().load_session(summary.id).turns[-1].trainee == REPAIR[1]
    # The broken file blocks nothing: the shipped clients and Rosa all still start.
    monkeypatch.setattr(sys, "stdin", io.StringIO(ASK + "\n"))
    assert main(["talk", "marcus"]) == 0
    # And the broken one cannot be started, with its problem named.
    monkeypatch.setattr(sys, "stdin", io.StringIO(ASK + "\n"))
    assert main(["talk", "broken"]) == 1
    assert "broken.yaml:4" in capsys.readouterr().err


def test_clients_option_names_several_folders_and_replay_takes_a_local_id(tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["new", "tree", "Wary", "--local", "--clients", str(first)]) == 0
    assert main(["new", "persona", "Ife", "--local", "--tree", "wary", "--clients", str(first)]) == 0
    assert main(["new", "persona", "Tam", "--dir", str(second)]) == 0
    capsys.readouterr()
    _, entries = _list(capsys, "--clients", str(first), "--clients", str(second))
    local = {e["id"]: e for e in entries if e["local"]}
    assert set(local) == {"ife", "tam"} and local["ife"]["tree"] == "wary"
    script = tmp_path / "turns.txt"
    script.write_text(REFLECT + "\n", encoding="utf-8")
    assert main(["replay", "ife", str(script), "--json", "--clients", str(first)]) == 0
    assert json.loads(capsys.readouterr().out)["persona"] == "ife"
    # Without the folder, the id is unknown and the message says where ids come from.
    assert main(["replay", "ife", str(script)]) == 1
    assert "no client called 'ife'" in capsys.readouterr().err


def test_a_local_client_cannot_take_a_shipped_clients_id(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "clients"
    monkeypatch.setenv("PEERSIM_CLIENTS", str(folder))
    assert main(["new", "persona", "Marcus", "--local"]) == 0
    capsys.readouterr()
    _, entries = _list(capsys)
    marcus = [e for e in entries if e["id"] == "marcus"]
    assert [e["local"] for e in marcus] == [False, True]
    assert "already used" in marcus[1]["problem"]


def test_the_default_clients_folder_is_in_the_data_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("PEERSIM_CLIENTS", raising=False)
    assert main(["new", "persona", "Rosa", "--local"]) == 0
    assert (Store().path.parent / "clients" / "personas" / "rosa.yaml").is_file()


async def test_the_app_lists_a_local_client_plays_it_and_resumes_it(clients):
    app = make_app(persona_paths=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        options = app.screen.query_one("#clients")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)
                   if options.get_option_at_index(i) is not None]
        rosa = next(p for p in prompts if p.startswith("Rosa"))
        assert "local" in rosa
        broken = [i for i in range(options.option_count) if "broken.yaml:4" in str(options.get_option_at_index(i).prompt)]
        assert len(broken) == 1 and options.get_option_at_index(broken[0]).disabled
        assert any(p.startswith("Marcus") and "local" not in p.split("\n")[0] for p in prompts)
        await open_client(pilot, "Rosa")
        await say(pilot, REFLECT)
        await say(pilot, ASK)
        log = app.screen.session.log
        assert log.persona_id == "rosa" and len(log.turns) == 2
    app = make_app(persona_paths=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#resume").option_count == 1
        await pilot.press("f3", "enter")
        await settle(pilot)
        assert app.screen.session.log.id == log.id and len(app.screen.session.log.turns) == 2
        await say(pilot, REPAIR[1])
        assert len(Store().load_session(log.id).turns) == 3


def test_a_client_id_that_does_not_exist_is_an_unknown_name():
    from simulator.scenario.errors import ScenarioError
    from simulator.scenario.loader import resolve_persona

    with pytest.raises(ScenarioError) as info:
        resolve_persona("marcuss")
    problem = info.value.problems[0]
    assert problem.validation_code == "PS0003" and "did you mean 'marcus'" in problem.hint
