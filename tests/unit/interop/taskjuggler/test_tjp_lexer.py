"""The .tjp tokenizer and statement grouping: every token kind, comments, macros, and the
errors that name their line."""

from __future__ import annotations

import pytest

from techpm.interop.taskjuggler.lexer import Lexer, Statement, TjpSyntaxError
from techpm.interop.taskjuggler.statements import statements


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(t.kind, t.text, t.unit) for t in Lexer().tokens(text)]


def test_tokens_of_every_kind() -> None:
    text = (
        'task a.b "Name" { effort 2.5d } 2003-06-05-15:00-+0000 '
        "2011-11-11-0:00--0500 9:00 - 17:00 +4m 'single' !x @all ${projectstart}"
    )
    assert kinds(text) == [
        ("id", "task", ""),
        ("id", "a.b", ""),
        ("string", "Name", ""),
        ("punct", "{", ""),
        ("id", "effort", ""),
        ("number", "2.5", "d"),
        ("punct", "}", ""),
        ("date", "2003-06-05-15:00-+0000", ""),
        ("date", "2011-11-11-0:00--0500", ""),
        ("time", "9:00", ""),
        ("punct", "-", ""),
        ("time", "17:00", ""),
        ("punct", "+", ""),
        ("number", "4", "m"),
        ("string", "single", ""),
        ("punct", "!", ""),
        ("id", "x", ""),
        ("punct", "@", ""),
        ("id", "all", ""),
        ("macro", "projectstart", ""),
    ]


def test_comments_are_dropped_and_lines_counted() -> None:
    tokens = Lexer().tokens(
        '# one\n// two\n/* three\nfour */ a "x\\"y" -8<-\n  text\n  more\n->8- b'
    )
    assert [(t.text, t.line, t.newline) for t in tokens] == [
        ("a", 4, True),
        ('x"y', 4, False),
        ("text\nmore", 4, False),
        ("b", 7, False),
    ]


def test_macros_expand_where_used_with_their_arguments() -> None:
    lexer = Lexer()
    text = (
        "macro team [\n  allocate dev1\n  allocate dev2\n]\n"
        'macro named [task t "${1}"]\n'
        "${team}\n"
        '${named "Big one"}'
    )
    tokens = lexer.tokens(text)
    assert [t.text for t in tokens] == [
        "allocate",
        "dev1",
        "allocate",
        "dev2",
        "task",
        "t",
        "Big one",
    ]
    assert {t.line for t in tokens} == {6, 7}
    assert lexer.used_macros == {"team", "named"}
    found = statements(tokens)
    assert [(s.name, [t.text for t in s.tokens]) for s in found] == [
        ("allocate", ["dev1"]),
        ("allocate", ["dev2"]),
        ("task", ["t", "Big one"]),
    ]


def test_an_unknown_macro_is_kept_as_a_token_and_remembered() -> None:
    lexer = Lexer()
    assert [t.kind for t in lexer.tokens("start ${nosuch}")] == ["id", "macro"]
    assert lexer.unknown_macros == [(1, "nosuch")]


def test_statements_nest_and_continue_after_commas_and_before_braces() -> None:
    text = """
task t "T"
{
  depends !a { gaplength 2d },
          !b
  allocate r1
}
resource r "R"
"""
    found = statements(Lexer().tokens(text))
    assert [s.name for s in found] == ["task", "resource"]
    body: list[Statement] = found[0].body
    assert [s.name for s in body] == ["depends", "allocate"]
    depends = body[0]
    assert [t.text for t in depends.tokens] == ["!", "a", ",", "!", "b"]
    assert depends.blocks[0].statements[0].name == "gaplength"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('task t "never closed\n\n', 1, "string is never closed"),
        ("a\n/* open", 2, "comment is never closed"),
        ("a -8<-\n text", 1, "never closed with ->8-"),
        ("task t {\n a\n", 1, "{ is never closed"),
        ("a\n}\n", 2, "a } without a matching {"),
        ("a ^ b", 1, "unexpected character '^'"),
        ("macro m [ a", 1, "never closed with ]"),
        ("macro loop [ ${loop} ]\n${loop}", 2, "macros nest deeper than"),
    ],
    ids=["string", "comment", "scissors", "brace", "stray-brace", "character", "macro", "loop"],
)
def test_syntax_errors_name_their_line(text: str, line: int, words: str) -> None:
    with pytest.raises(TjpSyntaxError) as caught:
        statements(Lexer().tokens(text))
    assert caught.value.line == line
    assert words in caught.value.message


def test_macros_that_multiply_are_stopped() -> None:
    """Each level triples the one below: 4 x 3^12 tokens if nothing stopped them."""
    defs = "".join(f"macro m{n} [ ${{m{n + 1}}} ${{m{n + 1}}} ${{m{n + 1}}} ]\n" for n in range(12))
    with pytest.raises(TjpSyntaxError, match="more than 100000 tokens"):
        Lexer(limit=100_000).tokens(defs + "macro m12 [ x y z w ]\n${m0}")
