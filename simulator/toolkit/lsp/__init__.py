"""`peersim lsp`: a language server, so a trainer's editor shows what `peersim validate` and
`peersim lint` find as they type, completes the names a file may use, and explains a rule on
hover in the words of the author's why pane.

- `document`: what an open file knows of itself and its neighbours (its kind, the states,
  thresholds, beats and values it may name), read from the unsaved text;
- `diagnose`: lint's findings for one file's text, as LSP diagnostics;
- `complete`: what may be written at the cursor;
- `hover`: a rule in plain words;
- `server`: the pygls server that wires these to the editor (the only module that needs pygls).
"""
