"""Text for docs/erd.md (generate_erd), where every character must show."""


def visible(text: str) -> str:
    """`text` with each character that does not show, or that would break a Markdown
    table's row (a line break, a tab, a no-break space), as its Python escape: "\\n",
    "\\xa0", "\\u3000". A CHECK may name such characters (a member's review may not be
    made of them alone)."""
    return "".join(
        char if char == " " or (char.isprintable() and not char.isspace()) else escaped(char)
        for char in text
    )


def escaped(char: str) -> str:
    return char.encode("unicode_escape").decode("ascii")
