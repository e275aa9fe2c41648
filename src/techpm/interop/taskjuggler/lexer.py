"""TaskJuggler project files as tokens, and the tokens as nested statements.

A statement is a keyword, its arguments and any `{ ... }` blocks among them; it ends at a
line break unless the line ends in a comma or an operator, or where a known attribute
keyword follows a complete argument (`{ effort 2d allocate r1 }`). That is the shape of
every .tjp property and report, so the reader never needs TaskJuggler's full grammar. Macros
defined in the file are expanded where they are used (text substitution, nothing is
evaluated); the built-in ones (`${projectstart}` ...) are left for the reader.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

BUILTIN_MACROS = frozenset({"projectstart", "projectend", "now", "today"})
MAX_MACRO_DEPTH = 16
MAX_TOKENS = 1_000_000
CONTINUES = frozenset(",-+&|~(")  # a line ending in one of these goes on below


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# attribute keywords that start a statement even in the middle of a line
KEYWORDS = _words(
    "task resource supplement project effort length duration milestone start end depends "
    "precedes allocate complete priority note responsible flags maxend maxstart minend "
    "minstart scheduling scheduled booking journalentry charge chargeset purge limits "
    "shift shifts projectid email rate leaves vacation workinghours efficiency managers "
    "gaplength gapduration onstart onend alternative select persistent mandatory "
    "dailymax weeklymax monthlymax dailymin weeklymin monthlymin timezone now currency "
    "dailyworkinghours scenario extend author alert summary details label"
)
# keywords whose first argument is a name, which may itself look like a keyword
NAMING = _words(
    "project task resource supplement extend purge projectid projectids flags depends "
    "precedes allocate responsible managers scenario"
)
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
    """Tokens of one file; `macros` collects the file's macro definitions as it goes."""

    macros: dict[str, str] = field(default_factory=dict)
    used_macros: set[str] = field(default_factory=set)
    unknown_macros: list[tuple[int, str]] = field(default_factory=list)
    limit: int = MAX_TOKENS  # tokens in all, expansions included: macro bombs stop here
    count: int = 0
    _expanded: dict[tuple[str, tuple[str, ...]], list[Token]] = field(default_factory=dict)

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
                end = text.find("}", pos)
                if end < 0:
                    raise TjpSyntaxError(line, "a ${ macro call is never closed")
                call = text[pos + 2 : end].strip()
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


def _at(token: Token, line: int, newline: bool) -> Token:
    if token.line == line and token.newline == newline:
        return token
    return Token(token.kind, token.text, line, token.unit, newline)


def statements(tokens: list[Token]) -> list[Statement]:
    """The file as top-level statements with their nested blocks."""
    found, _ = _block(tokens, 0, None)
    return found


def _starts_statement(token: Token, last: Token | Block, statement: Statement) -> bool:
    """A keyword after a complete argument, not where a name is expected or after `!`."""
    if token.kind != "id" or token.text.rpartition(":")[2] not in KEYWORDS:
        return False
    if isinstance(last, Token) and last.kind == "punct":
        return False
    return not (last is statement.keyword and statement.name in NAMING)


def _block(tokens: list[Token], pos: int, opened: Token | None) -> tuple[list[Statement], int]:
    found: list[Statement] = []
    while pos < len(tokens):
        token = tokens[pos]
        if token.kind == "punct" and token.text == "}":
            if opened is None:
                raise TjpSyntaxError(token.line, "a } without a matching {")
            return found, pos + 1
        statement = Statement(token)
        pos += 1
        depth = 0  # parentheses
        while pos < len(tokens):
            token = tokens[pos]
            last = statement.args[-1] if statement.args else statement.keyword
            carries = isinstance(last, Token) and last.kind == "punct" and last.text in CONTINUES
            if token.kind == "punct" and token.text == "}":
                break
            opens = token.kind == "punct" and token.text in ("{", ",")
            if token.newline and depth == 0 and not carries and not opens:
                break
            if depth == 0 and not carries and _starts_statement(token, last, statement):
                break
            pos += 1
            if token.kind == "punct" and token.text == "{":
                body, pos = _block(tokens, pos, token)
                statement.args.append(Block(body, token.line))
                continue
            depth += {"(": 1, ")": -1}.get(token.text if token.kind == "punct" else "", 0)
            statement.args.append(token)
        found.append(statement)
    if opened is not None:
        raise TjpSyntaxError(opened.line, "a { is never closed with }")
    return found, pos
