"""The language server: pygls over stdin and stdout, wiring the editor's events to
`diagnose`, `complete` and `hover`. Diagnostics are sent when a file is opened, changed
(once typing pauses) or saved, and cleared when it is closed."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from simulator.toolkit.lsp import complete, diagnose, hover
from simulator.toolkit.lsp.document import is_scenario_file

PAUSE = 0.25   # seconds without a change before a changed file is checked again

KINDS = {"move": types.CompletionItemKind.EnumMember, "state": types.CompletionItemKind.Class,
         "pool": types.CompletionItemKind.Property, "condition": types.CompletionItemKind.Field,
         "threshold": types.CompletionItemKind.Constant, "beat": types.CompletionItemKind.Event,
         "value": types.CompletionItemKind.Variable, "ending": types.CompletionItemKind.EnumMember}


server = LanguageServer("peersim", "0")   # serve() gives the version the command knows


def _ours(doc: TextDocument) -> Path | None:
    """The file's path, when it is a persona, tree or play-test file on this machine."""
    if not doc.uri.startswith("file:"):
        return None
    path = Path(to_fs_path(doc.uri))
    return path if is_scenario_file(path, doc.source) else None


def publish(ls: LanguageServer, uri: str) -> None:
    doc = ls.workspace.get_text_document(uri)
    path = _ours(doc)
    if path is None:
        return
    found = diagnose.diagnostics(path, doc.source)
    for d in found:
        d.range = doc.position_codec.range_to_client_units(doc.lines, d.range)
    ls.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=uri, version=doc.version, diagnostics=found))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
    uri, version = params.text_document.uri, params.text_document.version
    await asyncio.sleep(PAUSE)
    if ls.workspace.get_text_document(uri).version == version:   # else a later change checks it
        publish(ls, uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
    publish(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
    ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[]))


# Positions go through the document's codec (`position_codec`, in pygls 2.0 and 2.1 alike): the
# editor counts in UTF-16 units by default, peersim in characters.
def _at(doc: TextDocument, position: types.Position) -> tuple[int, int]:
    """The editor's position as (line, character) in characters."""
    if position.line >= len(doc.lines):          # the empty line after the last newline
        return position.line, 0
    at = doc.position_codec.position_from_client_units(doc.lines, position)
    return at.line, at.character


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=[":", " ", "$", "{", "[", ","]))
def completions(ls: LanguageServer, params: types.CompletionParams) -> types.CompletionList:
    doc = ls.workspace.get_text_document(params.text_document.uri)
    path = _ours(doc)
    if path is None:
        return types.CompletionList(is_incomplete=False, items=[])
    line, column = _at(doc, params.position)
    found = complete.completion(path, doc.source.replace("\r\n", "\n"), line, column)
    replaced = types.Range(start=types.Position(line=line, character=found.start),
                           end=types.Position(line=line, character=column))
    if line < len(doc.lines):
        replaced = doc.position_codec.range_to_client_units(doc.lines, replaced)
    items = [types.CompletionItem(label=s.label, kind=KINDS.get(s.kind), detail=s.detail or None,
                                  text_edit=types.TextEdit(range=replaced, new_text=s.insert or s.label))
             for s in found.items]
    return types.CompletionList(is_incomplete=False, items=items)


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: LanguageServer, params: types.HoverParams) -> types.Hover | None:
    doc = ls.workspace.get_text_document(params.text_document.uri)
    path = _ours(doc)
    if path is None:
        return None
    words = hover.hover_text(path, doc.source.replace("\r\n", "\n"), _at(doc, params.position)[0])
    if words is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.PlainText, value=words))


def serve(version: str) -> int:
    """Talk LSP over this process's own stdin and stdout until the editor says exit."""
    server.protocol.server_info = types.ServerInfo(name=server.name, version=version)   # sent on initialize
    # The command line wraps sys.stdout to keep escapes off a terminal; the protocol needs the raw bytes.
    server.start_io(sys.__stdin__.buffer, sys.__stdout__.buffer)
    return 0
