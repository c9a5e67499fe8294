"""The Indonesian edition: translatable units of a notebook, their PO catalogs, and applying them.

solutions/ (English) stays the only editable source. Each module's Indonesian text lives in
``translations/<lang>/<module>.po`` (gettext PO, read and written with babel), and the
Indonesian notebooks are generated from the pair.

What is translated (a *unit* is one PO entry):

- **Markdown cells**, paragraph by paragraph: a paragraph is a run of non-blank lines. Blank
  lines, fenced code blocks (```), and the ``=== BEGIN/END MARK SCHEME ===`` marker lines are
  kept verbatim; the mark-scheme text between the markers is translated (for Indonesian-speaking
  graders). Answer cells (nbgrader ``solution``) are never touched.
- **Code comments** in code cells that are neither answer cells nor test cells (nbgrader
  ``solution`` / ``grade``): every ``#`` comment holding a word of 3+ letters, except tool
  directives (``noqa``, ``type:``, ``pragma``, ``fmt:``) and nbgrader's ``###`` markers.
- **String literals in those same cells, in these places only**: the positional arguments of
  ``print(...)``; the first argument of ``set_title``, ``set_xlabel``, ``set_ylabel``,
  ``suptitle``, ``title``, ``xlabel``, ``ylabel``; the list or tuple of labels given to
  ``legend(...)``; the keyword arguments ``label=``, ``title=``, ``xlabel=``, ``ylabel=``,
  ``description=`` (an ipywidgets control's caption) of any call; and the argument of
  ``label("...")`` (:func:`course.i18n.label`), which marks any other literal a trainee reads, such
  as a name in a tuple or a list of bar labels. A literal must be a single plain or f-string (no
  bytes, no implicit concatenation) with a word of 2+ letters outside its ``{...}`` fields.
  Everything else (dict keys, column names, answer strings, arguments of any other call) is code
  and stays as it is.

Every unit is keyed by ``msgctxt`` = the cell's nbgrader grade id (or, for a cell without one,
its notebook cell id) and ``msgid`` = its English text. A unit whose English text changes no
longer matches its entry: ``course translations update`` (babel's ``Catalog.update``) then marks
the old translation *fuzzy* for review, and an unchanged unit keeps its translation, wherever it
moves within its cell. The paragraph's position is deliberately not part of the key: inserting a
paragraph in a cell must not send every later paragraph back for review.
"""

from __future__ import annotations

import ast
import copy
import io
import json
import re
import tokenize
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

EDITION_LANGUAGES = ("id",)
TRANSLATIONS = "translations"
MARK_SCHEME_LINE = re.compile(r"^=== (?:BEGIN|END) MARK SCHEME ===[ \t]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")
TITLE_CALLS = {"set_title", "set_xlabel", "set_ylabel", "suptitle", "title", "xlabel", "ylabel"}
LABEL_KEYWORDS = {"label", "title", "xlabel", "ylabel", "description"}
MARKER = "label"  # course.i18n.label("..."): a literal marked as text the trainee reads
DIRECTIVE = re.compile(r"^\s*(noqa|type:|pragma|fmt:)", re.IGNORECASE)
LITERAL = re.compile(r"^(?P<prefix>[rRuUfF]{0,2})(?P<quote>'''|\"\"\"|'|\")(?P<body>.*)(?P=quote)$", re.S)
FIELD = re.compile(r"(?<!\{)\{(?!\{)[^{}]*\}")
CODE_SPAN = re.compile(r"`[^`\n]+`")
# LaTeX math in markdown: $$...$$ or $...$; an escaped \$ (as in US\$) is a dollar sign, not a delimiter
MATH = re.compile(r"(?<!\\)\$\$.+?(?<!\\)\$\$|(?<!\\)\$.+?(?<!\\)\$", re.S)
CODE_KINDS = ("comment", "print label", "chart text", "marked label")  # units taken from code, not markdown


class TranslationError(ValueError):
    """A notebook or translation file that cannot be used, with the reason."""


@dataclass(frozen=True)
class Unit:
    """One translatable piece of a notebook."""

    context: str  # the cell's grade id or cell id
    msgid: str  # the English text
    kind: str  # "markdown", "mark scheme", "alt text", "comment", "print label", "chart text", "marked label"

    @property
    def key(self) -> tuple[str, str]:
        return self.context, self.msgid


@dataclass
class Applied:
    """A translated notebook and the units that fell back to English."""

    notebook: dict
    untranslated: list[Unit] = field(default_factory=list)
    fuzzy: list[Unit] = field(default_factory=list)
    translated: list[Unit] = field(default_factory=list)


# ---------------------------------------------------------------- cells and their pieces

def source_of(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def cell_key(cell: dict, number: int) -> str:
    """The stable key of a cell: its nbgrader grade id, else its notebook cell id."""
    key = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id")
    if not key:
        raise TranslationError(f"cell {number} has neither a grade id nor a cell id; "
                               "save the notebook with Jupyter (nbformat 4.5+) to give every cell an id")
    return key


def is_answer_or_test(cell: dict) -> bool:
    """Answer cells (solution) and test cells (graded code) are identical in every edition."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return bool(meta.get("solution") or (cell["cell_type"] == "code" and meta.get("grade")))


def markdown_pieces(text: str) -> list[tuple[str | None, str]]:
    """Split markdown into pieces that join back to ``text``: (kind, paragraph) or (None, verbatim)."""
    pieces: list[tuple[str | None, str]] = []
    block: list[str] = []
    in_scheme = in_fence = False

    def flush() -> None:
        if block:
            paragraph = "".join(block)
            body = paragraph.rstrip("\n")
            kind = "mark scheme" if in_scheme else "alt text" if body.lstrip().startswith("*Alt text:") \
                else "markdown"
            pieces.append((kind, body))
            if body != paragraph:
                pieces.append((None, paragraph[len(body):]))
            block.clear()

    for line in text.splitlines(keepends=True):
        if FENCE.match(line):
            flush()
            in_fence = not in_fence
            pieces.append((None, line))
        elif in_fence or not line.strip() or MARK_SCHEME_LINE.match(line):
            flush()
            if MARK_SCHEME_LINE.match(line):
                in_scheme = "BEGIN" in line
            pieces.append((None, line))
        else:
            block.append(line)
    flush()
    return pieces


def _line_offsets(source: str) -> list[int]:
    offsets, total = [0], 0
    for line in source.splitlines(keepends=True):
        total += len(line)
        offsets.append(total)
    return offsets


def _char_offset(source: str, offsets: list[int], line: int, byte_col: int) -> int:
    """ast columns count UTF-8 bytes; turn (line, byte column) into an index into ``source``."""
    start = offsets[line - 1]
    text = source[start:offsets[line] if line < len(offsets) else len(source)]
    return start + len(text.encode("utf-8")[:byte_col].decode("utf-8"))


def _words(text: str, least: int) -> bool:
    return re.search(rf"[A-Za-z]{{{least},}}", text) is not None


def _literal_nodes(tree: ast.AST) -> list[tuple[ast.expr, str]]:
    """The string-literal nodes in a translatable place (see the module docstring), with their kind."""
    found = []

    def literal(node: ast.expr) -> bool:
        return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else \
            node.func.attr if isinstance(node.func, ast.Attribute) else ""
        marked = name == MARKER and (isinstance(node.func, ast.Name) or (  # label(...) or i18n.label(...)
            isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "i18n"))
        if marked and len(node.args) == 1 and literal(node.args[0]):
            found.append((node.args[0], "marked label"))
        elif name == "print":
            found += [(arg, "print label") for arg in node.args if literal(arg)]
        elif name in TITLE_CALLS and node.args and literal(node.args[0]):
            found.append((node.args[0], "chart text"))
        elif name == "legend" and node.args and isinstance(node.args[0], (ast.List, ast.Tuple)):
            found += [(item, "chart text") for item in node.args[0].elts if literal(item)]
        found += [(kw.value, "chart text") for kw in node.keywords if kw.arg in LABEL_KEYWORDS and literal(kw.value)]
    return found


def code_edits(source: str) -> list[tuple[int, int, str, str, str, str]]:
    """(start, end, before, msgid, after, kind) of each translatable comment and literal of a code cell.

    ``source[start:end] == before + msgid + after``. A cell that is not plain Python (an IPython
    magic, a syntax error) has no translatable code units.
    """
    try:
        tree = ast.parse(source)
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (SyntaxError, tokenize.TokenError):
        return []
    offsets = _line_offsets(source)
    edits = []
    for token in tokens:
        if token.type != tokenize.COMMENT or token.string.startswith("###"):
            continue
        text = token.string.lstrip("#").strip()
        if text and _words(text, 3) and not DIRECTIVE.match(text):
            start = offsets[token.start[0] - 1] + token.start[1]
            end = offsets[token.end[0] - 1] + token.end[1]
            lead = token.string[:token.string.index(text)]
            edits.append((start, end, lead, text, token.string[len(lead) + len(text):], "comment"))
    for node, kind in _literal_nodes(tree):
        # ast.parse sets the end of every expression node (they are optional only for nodes made by hand)
        assert node.end_lineno is not None and node.end_col_offset is not None
        start = _char_offset(source, offsets, node.lineno, node.col_offset)
        end = _char_offset(source, offsets, node.end_lineno, node.end_col_offset)
        match = LITERAL.match(source[start:end])
        if not match or "b" in match["prefix"].lower():
            continue
        body = match["body"]
        outside = FIELD.sub("", body) if "f" in match["prefix"].lower() else body
        if _words(outside, 2):
            edits.append((start, end, match["prefix"] + match["quote"], body, match["quote"], kind))
    return sorted(edits)


def units(notebook: dict) -> list[Unit]:
    """Every translatable unit of a notebook, in reading order, without repeats."""
    found: dict[tuple[str, str], Unit] = {}
    for number, cell in enumerate(notebook["cells"], start=1):
        if is_answer_or_test(cell) or cell["cell_type"] not in ("markdown", "code"):
            continue
        key = cell_key(cell, number)
        if cell["cell_type"] == "markdown":
            for kind, text in markdown_pieces(source_of(cell)):
                if kind:
                    found.setdefault((key, text), Unit(key, text, kind))
        else:
            for *_, text, _after, kind in code_edits(source_of(cell)):
                found.setdefault((key, text), Unit(key, text, kind))
    return list(found.values())


# ---------------------------------------------------------------- catalogs

def po_path(root: Path, module: str, lang: str = "id") -> Path:
    return root / TRANSLATIONS / lang / f"{module}.po"


def template(notebook: dict, module: str, lang: str = "id") -> Catalog:
    """A fresh catalog of the notebook's units (the POT, kept in memory)."""
    header = (f"# Bahasa Indonesia text of Double Eleven, module {module}: translate msgstr only.\n"
              f"# Extracted from solutions/{module}/{module}.ipynb by `course translations extract`.\n"
              "# How to update it: docs/translation.md. Licence: CC-BY-4.0, as the English course text.")
    catalog = Catalog(locale=lang, project="Double Eleven", version=module, fuzzy=False, header_comment=header,
                      msgid_bugs_address="the course team (README.md)", last_translator="the course team",
                      language_team="Bahasa Indonesia", charset="utf-8",
                      creation_date=datetime(2026, 11, 30, tzinfo=UTC))
    location = f"solutions/{module}/{module}.ipynb"
    for unit in units(notebook):
        note = {"mark scheme": "mark scheme: read by graders only, never by trainees",
                "alt text": "alt text of the figure above: describe it, do not interpret it"}.get(unit.kind, unit.kind)
        # no line number (None), as babel's own PO reader gives it; its annotation says int
        catalog.add(unit.msgid, context=unit.context, auto_comments=[note],
                    locations=[(location, None)])  # type: ignore[list-item]
    return catalog


def read_catalog(path: Path, lang: str = "id") -> Catalog:
    """Read a PO file; a file that is not valid PO is a TranslationError naming it."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, locale=lang, abort_invalid=True)
    except FileNotFoundError:
        raise
    except Exception as error:  # babel raises PoFileError and others
        raise TranslationError(f"{path}: not a valid PO file ({error})") from error


def _snapshot(catalog: Catalog) -> list[tuple]:
    live = [(m.context, m.id, m.string, sorted(m.flags), m.auto_comments, m.previous_id)
            for m in catalog if m.id]
    gone = [(m.context, m.id, m.string) for m in catalog.obsolete.values()]
    return live + gone


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_previous=True, sort_output=False)
    path.write_bytes(out.getvalue())


def update(notebook: dict, module: str, path: Path, lang: str = "id") -> tuple[bool, int]:
    """Create or update the PO file of ``module`` from its English notebook.

    An unchanged unit keeps its translation; a changed one gets its old translation back marked
    fuzzy (with the previous English shown for the translator); a removed one is kept as obsolete.
    Returns (whether the file changed, number of fuzzy entries).
    """
    fresh = template(notebook, module, lang)
    if path.is_file():
        catalog = read_catalog(path, lang)
        before = _snapshot(catalog)
        catalog.update(fresh, update_creation_date=False)
        changed = _snapshot(catalog) != before
    else:
        catalog, changed = fresh, True
    if changed:
        catalog.revision_date = datetime.now(UTC)
        write_catalog(catalog, path)
    return changed, sum(1 for m in catalog if m.id and m.fuzzy)


# ---------------------------------------------------------------- applying a translation

def _lookup(catalog: Catalog, unit: Unit, applied: Applied) -> str:
    message = catalog.get(unit.msgid, context=unit.context)
    # plural forms (a tuple of texts) are not the course's: such an entry counts as untranslated
    if message is None or not message.string or not isinstance(message.string, str):
        applied.untranslated.append(unit)
        return unit.msgid
    if message.fuzzy:
        applied.fuzzy.append(unit)
        return unit.msgid
    applied.translated.append(unit)
    return message.string


def apply(notebook: dict, catalog: Catalog, lang: str = "id", source: str = "") -> Applied:
    """The notebook in ``lang``: translated units replaced, everything else byte for byte the same.

    Untranslated and fuzzy units stay English and are listed in the result.
    """
    result = copy.deepcopy(notebook)
    applied = Applied(result)
    for number, cell in enumerate(result["cells"], start=1):
        if is_answer_or_test(cell) or cell["cell_type"] not in ("markdown", "code"):
            continue
        key = cell_key(cell, number)
        text = source_of(cell)
        if cell["cell_type"] == "markdown":
            new = "".join(_lookup(catalog, Unit(key, piece, kind), applied) if kind else piece
                          for kind, piece in markdown_pieces(text))
        else:
            new = text
            for start, end, before, msgid, after, kind in reversed(code_edits(text)):
                new = new[:start] + before + _lookup(catalog, Unit(key, msgid, kind), applied) + after + new[end:]
        if new != text:
            cell["source"] = new.splitlines(keepends=True)
    result["metadata"]["course"] = {"edition": lang, **({"source": source} if source else {})}
    return applied


def dumps(notebook: dict) -> str:
    """A notebook as Jupyter writes it (indent 1, keys sorted, a final newline)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- checks

def placeholders(text: str, kind: str) -> list[str]:
    """What a translation must carry over unchanged: {fields}, and `code spans` in markdown.

    In markdown, braces inside LaTeX math (``$...$``, ``$$...$$``) are LaTeX groups, not fields: the
    words in ``\\text{landed cost}`` are translated like the prose around them.
    """
    if kind in CODE_KINDS:
        return sorted(FIELD.findall(text))
    return sorted(FIELD.findall(MATH.sub("", text)) + CODE_SPAN.findall(text))


def _normalised_code(source: str) -> str:
    """The code of a cell with its translatable literals blanked (comments are not in the AST)."""
    edits = code_edits(source)
    for start, end, before, _msgid, after, _kind in reversed(edits):
        source = source[:start] + before + after + source[end:]
    try:
        return ast.dump(ast.parse(source))
    except SyntaxError as error:
        return f"not Python: {error}"


def _metadata(cell: dict) -> dict:
    """A cell's metadata without nbgrader's checksum of its source (which differs once the text is translated)."""
    meta = copy.deepcopy(cell.get("metadata", {}))
    meta.get("nbgrader", {}).pop("checksum", None)
    return meta


def code_differences(english: dict, translated: dict) -> list[str]:
    """Where the translated notebook's code, tests, answers or cell structure differ from the English."""
    found = []
    ours, theirs = english["cells"], translated["cells"]
    if len(ours) != len(theirs):
        return [f"has {len(theirs)} cells, the English has {len(ours)}"]
    for number, (en, other) in enumerate(zip(ours, theirs, strict=True), start=1):
        where = f"cell {number} ({en.get('metadata', {}).get('nbgrader', {}).get('grade_id') or en.get('id')})"
        if (en["cell_type"], en.get("id"), _metadata(en)) != (other["cell_type"], other.get("id"), _metadata(other)):
            found.append(f"{where}: its type, id or metadata differ from the English")
        elif is_answer_or_test(en) and source_of(en) != source_of(other):
            found.append(f"{where}: an answer or test cell differs from the English (it must be identical)")
        elif en["cell_type"] == "code" and _normalised_code(source_of(en)) != _normalised_code(source_of(other)):
            found.append(f"{where}: its code differs from the English beyond translated comments and labels")
        elif en["cell_type"] == "markdown":
            keep = [p for k, p in markdown_pieces(source_of(en)) if k is None and p.strip()]
            have = [p for k, p in markdown_pieces(source_of(other)) if k is None and p.strip()]
            if keep != have:
                found.append(f"{where}: its mark-scheme markers or code blocks differ from the English")
    return found
