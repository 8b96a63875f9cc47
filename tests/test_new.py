"""`peersim new`: starting files that explain themselves, validate and lint clean as written."""

import json
import re
import shlex
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.toolkit.lint import lint_paths
from simulator.scenario.loader import load_scenario, load_tree, shipped_tree_paths
from simulator.scenario.schema import Conditions, Persona, Rapport, State, Tree


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A trainer's folder with the usual two sub-folders."""
    (tmp_path / "personas").mkdir()
    (tmp_path / "dialogue_trees").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def no_warnings(paths) -> list:
    return [p for p in lint_paths(paths)[1] if p.severity != "info"]


def test_new_persona_validates_and_lints_clean(workspace, capsys):
    assert main(["new", "persona", "Rosa"]) == 0
    path = workspace / "personas" / "rosa.yaml"
    assert "wrote personas/rosa.yaml" in capsys.readouterr().out
    scenario = load_scenario(path)
    assert scenario.persona.id == "rosa" and scenario.persona.name == "Rosa"
    assert scenario.tree.id == "guarded"
    assert main(["validate", str(path)]) == 0
    assert main(["lint", str(path), "--strict"]) == 0
    assert no_warnings([path]) == []


def test_every_field_is_explained_in_place(workspace):
    main(["new", "persona", "Rosa"])
    main(["new", "tree", "Quiet"])
    persona = (workspace / "personas" / "rosa.yaml").read_text(encoding="utf-8")
    tree = (workspace / "dialogue_trees" / "quiet.yaml").read_text(encoding="utf-8")
    for name, field in Persona.model_fields.items():
        assert f"{field.alias or name}:" in persona, f"persona template does not show {name}"
    for name, field in Tree.model_fields.items():
        assert f"{field.alias or name}:" in tree, f"tree template does not show {name}"
    for name in Conditions.model_fields:
        assert f"{name}" in tree, f"tree template does not explain the condition {name}"
    assert persona.count("\n#") > 20 and tree.count("\n#") > 20


@pytest.mark.parametrize("tree", [p.stem for p in shipped_tree_paths()])
def test_a_new_persona_on_every_shipped_tree_validates(workspace, tree):
    assert main(["new", "persona", f"client on {tree}", "--tree", tree]) == 0
    path = workspace / "personas" / f"client_on_{tree}.yaml"
    assert load_scenario(path).tree.id == tree
    assert no_warnings([path]) == []


def test_new_tree_and_a_persona_on_it(workspace):
    assert main(["new", "tree", "Quiet one"]) == 0
    tree, _ = load_tree(workspace / "dialogue_trees" / "quiet_one.yaml")
    assert tree.id == "quiet_one" and tree.title == "Quiet one"
    assert main(["new", "persona", "Theo", "--tree", "quiet_one"]) == 0
    assert load_scenario(workspace / "personas" / "theo.yaml").tree.id == "quiet_one"
    assert main(["lint", "personas", "dialogue_trees", "--strict"]) == 0


def test_a_tree_given_as_a_path_is_written_relative_to_the_persona(workspace):
    main(["new", "tree", "Mine", "--dir", "library/dialogue_trees"])
    assert main(["new", "persona", "Ada", "--tree", "library/dialogue_trees/mine.yaml",
                 "--dir", "library/personas"]) == 0
    text = (workspace / "library" / "personas" / "ada.yaml").read_text(encoding="utf-8")
    assert 'tree: "../dialogue_trees/mine.yaml"' in text
    assert load_scenario(workspace / "library" / "personas" / "ada.yaml").tree.id == "mine"


def test_a_tree_outside_the_persona_library_is_refused_with_the_rule(workspace, capsys):
    # A persona file travels to other machines: its tree must stand beside it, not anywhere.
    main(["new", "tree", "Mine", "--dir", "elsewhere/trees"])
    assert main(["new", "persona", "Ada", "--tree", "elsewhere/trees/mine.yaml", "--dir", "clients"]) == 1
    err = capsys.readouterr().err
    assert "outside this persona's library" in err and "dialogue_trees folder beside it" in err
    assert not (workspace / "clients" / "ada.yaml").exists()


def test_new_play_test_passes(workspace, capsys):
    main(["new", "persona", "Rosa"])
    assert main(["new", "test", "rosa"]) == 0
    assert (workspace / "personas" / "rosa.test.yaml").exists()
    capsys.readouterr()
    assert main(["test", "personas"]) == 0
    assert "1 passed, 0 failed" in capsys.readouterr().out


def test_an_existing_file_is_never_overwritten(workspace, capsys):
    path = workspace / "personas" / "rosa.yaml"
    path.write_text("# my work\n", encoding="utf-8")
    assert main(["new", "persona", "Rosa"]) == 1
    assert path.read_text(encoding="utf-8") == "# my work\n"
    assert "already exists" in capsys.readouterr().err


def test_an_unknown_tree_suggests_the_nearest(workspace, capsys):
    assert main(["new", "persona", "Rosa", "--tree", "gaurded"]) == 1
    assert "did you mean 'guarded'?" in capsys.readouterr().err
    assert not (workspace / "personas" / "rosa.yaml").exists()


def test_without_the_usual_folders_it_writes_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "persona", "Rosa"]) == 0
    assert Path("rosa.yaml").exists()


@pytest.mark.parametrize("name, ident", [("José María", "jose_maria"), ("Zoë", "zoe"),
                                          ("Dr. Smith: Jr", "dr_smith_jr"), ("#1 fan", "1_fan"), ("Yes", "yes")])
def test_names_with_accents_and_symbols_make_a_working_persona(workspace, name, ident):
    # Accents are folded into the file name (not dropped with their letter), and the name is
    # quoted where YAML needs it, so the trainee still sees the name exactly as typed.
    assert main(["new", "persona", name]) == 0
    persona = load_scenario(workspace / "personas" / f"{ident}.yaml").persona
    assert persona.id == ident and persona.name == name
    assert main(["new", "tree", name]) == 0
    assert load_tree(workspace / "dialogue_trees" / f"{ident}.yaml")[0].title == name


def test_an_empty_name_is_refused_plainly(workspace, capsys):
    assert main(["new", "persona", "  "]) == 1
    err = capsys.readouterr().err
    assert "the name is empty" in err and "please report" not in err
    assert list((workspace / "personas").iterdir()) == []


# ---------------------------------------------------------------------------- the guide
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "authoring.md"
MARKED = re.compile(r"<!-- test: (file (?P<path>\S+)|run) -->\n```(?P<lang>\w+)\n(?P<body>.*?)```", re.S)


def test_following_the_guide_literally_gives_a_working_persona(tmp_path, monkeypatch, capsys):
    """docs/authoring.md, step by step: its marked files are written and its marked commands
    run, in order, in a fresh folder; every command must succeed."""
    monkeypatch.chdir(tmp_path)
    steps = list(MARKED.finditer(GUIDE.read_text(encoding="utf-8")))
    assert len(steps) >= 9, "the guide lost its tested steps"
    commands = 0
    for step in steps:
        if step.group("path"):
            target = tmp_path / step.group("path")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(step.group("body"), encoding="utf-8")
            continue
        for line in step.group("body").splitlines():
            assert line.startswith("peersim "), f"a tested shell block may only hold peersim commands: {line}"
            commands += 1
            status = main(shlex.split(line)[1:])
            assert status == 0, f"`{line}` failed:\n{capsys.readouterr()}"
    assert commands >= 10
    # What the guide promises exists at the end: Rosa passes her play-tests, the picture is drawn.
    assert load_scenario(tmp_path / "personas" / "rosa.yaml").persona.name == "Rosa"
    assert (tmp_path / "wary.svg").exists() and (tmp_path / "persona.schema.json").exists()


def test_the_guide_explains_every_field_and_condition():
    text = GUIDE.read_text(encoding="utf-8")
    for name, field in Persona.model_fields.items():
        assert f"`{field.alias or name}`" in text, f"the guide does not explain {name}"
    for name in Conditions.model_fields:
        assert f"`{name}`" in text, f"the guide does not explain the condition {name}"
    tree_fields = [*Tree.model_fields, *State.model_fields, *Rapport.model_fields, "move", "from", "to", "when", "note"]
    for name in tree_fields:
        assert f"`{name}`" in text or f"`{name}:" in text, f"the guide does not explain the tree's {name}"


def test_schema_files_for_editors_describe_every_field(tmp_path):
    """`peersim schema KIND -o FILE` writes what a YAML language server needs: every field
    named, described (shown on hover) and closed to unknown names (misspellings underlined)."""
    for kind in ("persona", "tree"):
        out = tmp_path / f"{kind}.schema.json"
        assert main(["schema", kind, "-o", str(out)]) == 0
        schema = json.loads(out.read_text(encoding="utf-8"))
        for name, definition in {kind: schema, **schema.get("$defs", {})}.items():
            if "properties" not in definition:
                continue
            assert definition.get("additionalProperties") is False, name
            for field, spec in definition["properties"].items():
                assert spec.get("description"), f"{name}.{field} has no description for editors"


def test_schema_names_the_move_ids_an_editor_may_use_as_keys(tmp_path):
    # A misspelt move under `sensitivities:` or `effects:` is underlined as it is typed, not only at lint.
    for kind, field, extra in (("persona", "sensitivities", "directing"), ("tree", "effects", None)):
        out = tmp_path / f"{kind}.schema.json"
        assert main(["schema", kind, "-o", str(out)]) == 0
        names = json.loads(out.read_text(encoding="utf-8"))["properties"][field]["propertyNames"]["enum"]
        assert "directive_advice" in names and "directive_advise" not in names
        assert (extra in names) if extra else ("directing" not in names)


def test_the_guide_shows_lint_output_as_lint_prints_it(tmp_path, monkeypatch, capsys):
    """The sample finding in the guide (a misspelt ${daughter}) is what lint really says."""
    text = GUIDE.read_text(encoding="utf-8")
    rosa = next(m.group("body") for m in MARKED.finditer(text) if m.group("path") == "personas/rosa.yaml")
    sample = re.search(r"A mistake looks like this.*?```text\n(.*?)```", text, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "rosa.yaml").write_text(
        rosa.replace("${daughter} looked", "${doughter} looked"), encoding="utf-8")
    main(["lint", "personas/rosa.yaml"])
    assert sample in capsys.readouterr().out


def test_a_dir_that_is_a_file_is_a_plain_error(workspace, capsys):
    (workspace / "notes.txt").write_text("mine\n", encoding="utf-8")
    assert main(["new", "persona", "Rosa", "--dir", "notes.txt"]) == 1
    err = capsys.readouterr().err
    assert "cannot make this folder" in err and "already exists" not in err
    assert (workspace / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_a_new_tree_named_like_a_shipped_one_warns_that_it_replaces_it(workspace, capsys):
    assert main(["new", "tree", "Guarded"]) == 0
    out = capsys.readouterr().out
    assert "note: peersim ships a tree 'guarded' too" in out
    assert main(["new", "tree", "Wary"]) == 0
    assert "note:" not in capsys.readouterr().out
