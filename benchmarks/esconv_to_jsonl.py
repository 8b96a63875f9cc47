"""Turn ESConv's test split (one conversation per line) into labelled supporter turns.

    python benchmarks/esconv_to_jsonl.py [SRC] [OUT]
    peersim eval-moves OUT --map esconv

SRC defaults to ../shared/data/esconv/test.json (read-only, CC BY-NC 4.0: for measuring
only) and OUT to a file in the system temp folder. The output is never written into the
repository: ESConv may not be shipped or copied here.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

def _shared_esconv() -> Path:
    """../shared/data/esconv beside the checkout (a worktree may sit one folder deeper)."""
    here = Path(__file__).resolve()
    for up in here.parents[1:4]:
        found = up / "shared" / "data" / "esconv"
        if found.is_dir():
            return found
    return here.parents[2] / "shared" / "data" / "esconv"


DEFAULT_SRC = _shared_esconv() / "test.json"
DEFAULT_OUT = Path(tempfile.gettempdir()) / "peersim-esconv-test.jsonl"


def supporter_turns(src: Path):
    with open(src, encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            conversation = json.loads(line)
            for turn in conversation.get("dialog", []):
                if turn.get("speaker") in ("sys", "supporter") and turn.get("strategy"):
                    text = " ".join(str(turn.get("text", "")).split())
                    if text:
                        yield {"text": text, "label": turn["strategy"]}


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else DEFAULT_SRC
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    repo = Path(__file__).resolve().parents[1]
    if repo in out.resolve().parents:
        print("refusing to write ESConv data inside the repository; choose a path outside it", file=sys.stderr)
        return 2
    n = 0
    with open(out, "w", encoding="utf-8") as fh:
        for row in supporter_turns(src):
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    print(f"{n} supporter turns -> {out}", file=sys.stderr)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
