"""TaskJuggler project files as tokens, and the records statements are made of
(`statements.py` groups the tokens into them).

A statement is a keyword, its arguments and any `{ ... }` blocks among them. That is the
shape of every .tjp property and report, so the reader never needs TaskJuggler's full
grammar. Macros
defined in the file are expanded where they are used (text substitution, nothing is
evaluated); the built-in ones (`${projectstart}` ...) are left for the reader. `include
"file.tji"` is read in place, as TaskJuggler reads it; a token of an included file carries
a line number that also says which file (`Lexer.where` tells them apart).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

BUILTIN_MACROS = frozenset({"projectstart", "projectend", "now", "today"})
MAX_MACRO_DEPTH = 16
MAX_TOKENS = 1_000_000
MAX_INCLUDE_DEPTH = 16
MAX_FILES = 1000
MAX_INCLUDE_BYTES = 50_000_000
FILE_STRIDE = 1 << 32  # line numbers of the n-th file read start at n * FILE_STRIDE
_DATE = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}(?:-\d{1,2}:\d{2}(?::\d{2})?)?(?:-[+-]?\d{4}(?![\d:]))?(?![\w-])"
)
_TIME = re.compile(r"\d{1,2}:\d{2}(?![\w:])")
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)([A-Za-z]+)?")
_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:[.:][A-Za-z_][A-Za-z0-9_]*)*")
_PUNCT = frozenset("{}[](),!+-~&|<>=@%*/;:.?$")


class TjpSyntaxError(ValueError):
    """What is wrong, on which line (1-based)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Token:
    kind: str  # id, string, date, time, number, punct, macro
    text: str
    line: int
    unit: str = ""  # of a number: min, h, d, w, m, y
    newline: bool = False  # first token on its line


@dataclass
class Block:
    statements: list[Statement]
    line: int


@dataclass
class Statement:
    keyword: Token
    args: list[Token | Block] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.keyword.text

    @property
    def line(self) -> int:
        return self.keyword.line

    @property
    def tokens(self) -> list[Token]:
        return [a for a in self.args if isinstance(a, Token)]

    @property
    def blocks(self) -> list[Block]:
        return [a for a in self.args if isinstance(a, Block)]

    @property
    def body(self) -> list[Statement]:
        """The statements of its (last) block."""
        blocks = self.blocks
        return blocks[-1].statements if blocks else []


@dataclass
class Lexer:
    """Tokens of one file and the files it includes; `macros` collects the macro
    definitions as it goes. `files[0]` is the file read first."""

    files: list[Path] = field(default_factory=list)
    macros: dict[str, str] = field(default_factory=dict)
    used_macros: set[str] = field(default_factory=set)
    unknown_macros: list[tuple[int, str]] = field(default_factory=list)
    limit: int = MAX_TOKENS  # tokens in all, expansions included: macro bombs stop here
    count: int = 0
    _expanded: dict[tuple[str, tuple[str, ...]], list[Token]] = field(default_factory=dict)
    _reading: list[int] = field(default_factory=lambda: [0])  # the include stack

    def where(self, line: int) -> tuple[Path | None, int]:
        """The file (None when the lexer reads text of no file) and its own line."""
        index, own = divmod(line, FILE_STRIDE)
        return (self.files[index] if index < len(self.files) else None), own

    def tokens(self, text: str, first_line: int = 1, depth: int = 0) -> list[Token]:
        if depth > MAX_MACRO_DEPTH:
            raise TjpSyntaxError(first_line, f"macros nest deeper than {MAX_MACRO_DEPTH} levels")
        out: list[Token] = []
        pos, line, fresh = 0, first_line, True
        size = len(text)
        while pos < size:
            char = text[pos]
            if char == "\n":
                line, fresh, pos = line + 1, True, pos + 1
                continue
            if char in " \t\r\f\ufeff":
                pos += 1
                continue
            if char == "#" or text.startswith("//", pos):
                end = text.find("\n", pos)
                pos = size if end < 0 else end
                continue
            if text.startswith("/*", pos):
                end = text.find("*/", pos + 2)
                if end < 0:
                    raise TjpSyntaxError(line, "a /* comment is never closed")
                line += text.count("\n", pos, end)
                pos = end + 2
                continue
            start_line = line
            if text.startswith("-8<-", pos):
                end = text.find("->8-", pos + 4)
                if end < 0:
                    raise TjpSyntaxError(line, "a -8<- text is never closed with ->8-")
                body = text[pos + 4 : end]
                line += body.count("\n")
                token = Token("string", textwrap.dedent(body).strip("\n"), start_line)
                pos = end + 4
            elif char in "\"'":
                token, pos, line = self._quoted(text, pos, line)
            elif text.startswith("${", pos):
                end = _call_end(text, pos)
                if end < 0:
                    raise TjpSyntaxError(line, "a ${ macro call is never closed")
                call = text[pos + 2 : end].strip()
                line += text.count("\n", pos, end)
                pos = end + 1
                expanded = self._expand(call, line, depth)
                self._counted(len(expanded), line)
                for n, tok in enumerate(expanded):
                    out.append(_at(tok, start_line, fresh if n == 0 else tok.newline))
                fresh = fresh and not expanded
                continue
            elif (match := _DATE.match(text, pos)) is not None:
                token, pos = Token("date", match[0], line), match.end()
            elif (match := _TIME.match(text, pos)) is not None:
                token, pos = Token("time", match[0], line), match.end()
            elif (match := _NUMBER.match(text, pos)) is not None:
                token = Token("number", match[1], line, unit=(match[2] or "").lower())
                pos = match.end()
            elif (match := _ID.match(text, pos)) is not None:
                word = match[0]
                pos = match.end()
                if word == "macro":
                    pos, line = self._define(text, pos, line)
                    continue
                if word == "include" and self.files:
                    pos, line = self._include(text, pos, line, depth, out)
                    fresh = False
                    continue
                token = Token("id", word, line)
            elif char in _PUNCT:
                token, pos = Token("punct", char, line), pos + 1
            else:
                raise TjpSyntaxError(line, f"unexpected character {char!r}")
            out.append(_at(token, start_line, fresh))
            fresh = False
            self._counted(1, line)
        return out

    def _counted(self, more: int, line: int) -> None:
        self.count += more
        if self.count > self.limit:
            raise TjpSyntaxError(line, f"more than {self.limit} tokens (runaway macros?)")

    def _quoted(self, text: str, pos: int, line: int) -> tuple[Token, int, int]:
        quote, start_line = text[pos], line
        chars: list[str] = []
        pos += 1
        while pos < len(text):
            char = text[pos]
            if char == "\\" and pos + 1 < len(text):
                chars.append(text[pos + 1])
                pos += 2
                continue
            if char == quote:
                return Token("string", "".join(chars), start_line), pos + 1, line
            if char == "\n":
                line += 1
            chars.append(char)
            pos += 1
        raise TjpSyntaxError(start_line, f"a {quote} string is never closed")

    def _define(self, text: str, pos: int, line: int) -> tuple[int, int]:
        """`macro name [ body ]`: the body is kept as text, brackets nesting."""
        match = re.compile(r"\s*([A-Za-z_]\w*)\s*\[").match(text, pos)
        if match is None:
            raise TjpSyntaxError(line, "a macro needs a name and a [ body ]")
        name = match[1]
        line += text.count("\n", pos, match.end())
        depth, end = 1, match.end()
        while end < len(text) and depth:
            depth += {"[": 1, "]": -1}.get(text[end], 0)
            end += 1
        if depth:
            raise TjpSyntaxError(line, f"the body of macro {name!r} is never closed with ]")
        self.macros[name] = text[match.end() : end - 1]
        return end, line + text.count("\n", match.end(), end)

    def _include(
        self, text: str, pos: int, line: int, depth: int, out: list[Token]
    ) -> tuple[int, int]:
        """`include "file.tji"`: the file's tokens in place, its path relative to the file
        that includes it."""
        match = re.compile(r"[ \t]*").match(text, pos)
        pos = match.end() if match else pos
        if pos >= len(text) or text[pos] not in "\"'":
            raise TjpSyntaxError(line, 'include needs a file name in quotes: include "file.tji"')
        name, pos, line = self._quoted(text, pos, line)
        after = re.compile(r"[ \t]*(\{)?").match(text, pos)
        if after is not None and after[1]:
            raise TjpSyntaxError(
                line,
                "include with a { ... } block (taskprefix, resourceprefix ...) is not supported",
            )
        current = self.files[self._reading[-1]]
        target = current.parent / name.text
        chain = [self.files[i] for i in self._reading]
        if any(_same(target, seen) for seen in chain):
            loop = " -> ".join(p.name for p in [*chain, target])
            raise TjpSyntaxError(line, f"include loop: {loop}")
        if len(self._reading) > MAX_INCLUDE_DEPTH:
            raise TjpSyntaxError(line, f"includes nest deeper than {MAX_INCLUDE_DEPTH} levels")
        if len(self.files) >= MAX_FILES:
            raise TjpSyntaxError(line, f"more than {MAX_FILES} included files")
        try:
            if not target.is_file():  # a folder, a device such as /dev/zero
                raise FileNotFoundError(
                    "no such file" if not target.exists() else "not a regular file"
                )
            if target.stat().st_size > MAX_INCLUDE_BYTES:
                raise OSError(f"larger than {MAX_INCLUDE_BYTES // 1_000_000} MB")
            data = target.read_bytes()
        except OSError as exc:
            why = exc.strerror or str(exc) or "cannot read it"
            raise TjpSyntaxError(line, f"include {name.text!r}: {why} ({target})") from None
        try:
            body = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            bad = data[: exc.start].count(b"\n") + 1
            raise TjpSyntaxError(
                line, f"include {name.text!r}: not UTF-8 text (its line {bad})"
            ) from None
        self.files.append(target)
        self._reading.append(len(self.files) - 1)
        try:
            out.extend(self.tokens(body, self._reading[-1] * FILE_STRIDE + 1, depth))
        finally:
            self._reading.pop()
        return pos, line

    def _expand(self, call: str, line: int, depth: int) -> list[Token]:
        parts = re.findall(r'"[^"]*"|\'[^\']*\'|\S+', call)
        if not parts:
            raise TjpSyntaxError(line, "an empty ${} macro call")
        name, args = parts[0], [p.strip("\"'") for p in parts[1:]]
        if name in self.macros:
            self.used_macros.add(name)
            key = (name, tuple(args))
            if key not in self._expanded:  # a macro used often is tokenized once
                body = self.macros[name]
                for n, arg in enumerate(args, start=1):
                    body = body.replace(f"${{{n}}}", arg)
                self._expanded[key] = self.tokens(body, line, depth + 1)
            return self._expanded[key]
        if name not in BUILTIN_MACROS:
            self.unknown_macros.append((line, name))
        return [Token("macro", name, line)]


def _call_end(text: str, pos: int) -> int:
    """Where the `${...}` call at `pos` ends: its arguments may be quoted and may hold
    calls of their own (`${task "a" "${name}"}`); -1 when it never ends."""
    depth, quote = 0, ""
    for n in range(pos + 1, len(text)):
        char = text[n]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return n
    return -1


def _same(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return one == other


def _at(token: Token, line: int, newline: bool) -> Token:
    if token.line == line and token.newline == newline:
        return token
    return Token(token.kind, token.text, line, token.unit, newline)
