"""Tokens grouped into nested statements: a keyword, its arguments and any `{ ... }`
blocks among them. A statement ends at a line break unless the line ends in a comma or an
operator (or the next starts with punctuation), or where a known attribute keyword follows
a complete argument (`{ effort 2d allocate r1 }`). Braces, parentheses and brackets must
balance: a file where they do not is refused with the line, never read by guesswork.
"""

from __future__ import annotations

from techpm.interop.taskjuggler.lexer import Block, Statement, TjpSyntaxError, Token

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
        _check_keyword(token)
        statement = Statement(token)
        pos += 1
        depth = 0  # parentheses
        while pos < len(tokens):
            token = tokens[pos]
            last = statement.args[-1] if statement.args else statement.keyword
            carries = isinstance(last, Token) and last.kind == "punct" and last.text in CONTINUES
            if token.kind == "punct" and token.text == "}":
                break
            # a line that cannot start a statement goes on with the one before: TaskJuggler
            # reads past line breaks (`{`, `, b`, `- end`, `!= ''`, `9:00 - 12:00`)
            opens = token.kind not in ("id", "macro")
            if token.newline and depth == 0 and not carries and not opens:
                break
            if depth == 0 and not carries and _starts_statement(token, last, statement):
                break
            pos += 1
            if token.kind == "punct" and token.text == "{":
                if isinstance(last, Block):
                    raise TjpSyntaxError(
                        token.line, f"a second {{ block right after the one of {statement.name!r}"
                    )
                body, pos = _block(tokens, pos, token)
                statement.args.append(Block(body, token.line))
                continue
            depth += _paren(token, depth)
            statement.args.append(token)
        if depth > 0:
            raise TjpSyntaxError(statement.line, "a ( is never closed with )")
        found.append(statement)
    if opened is not None:
        raise TjpSyntaxError(opened.line, "a { is never closed with }")
    return found, pos


def _check_keyword(token: Token) -> None:
    """A statement starts with a keyword (or a macro that stands for one)."""
    if token.kind in ("id", "macro"):
        return
    if token.kind == "punct" and token.text in "[]":
        raise TjpSyntaxError(token.line, f"a {token.text} outside a macro definition")
    if token.kind == "punct" and token.text == "{":
        raise TjpSyntaxError(token.line, "a { block with no statement before it")
    shown = token.text if token.kind != "string" else f'"{token.text[:30]}"'
    raise TjpSyntaxError(token.line, f"unexpected {shown!r} where a statement should start")


def _paren(token: Token, depth: int) -> int:
    """How a token changes the depth of parentheses; brackets belong to macros only."""
    if token.kind != "punct":
        return 0
    if token.text in "[]":
        raise TjpSyntaxError(token.line, f"a {token.text} outside a macro definition")
    if token.text == "(":
        return 1
    if token.text == ")":
        if depth == 0:
            raise TjpSyntaxError(token.line, "a ) without a matching (")
        return -1
    return 0
