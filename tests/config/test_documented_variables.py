"""Every environment variable config/settings.py reads is in the README's Configuration
table, and every variable the table lists is still read: an operator learns what can be
set from that table alone."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"`([A-Z][A-Z0-9_]*)`")


def variables_read_by_settings() -> set[str]:
    """The name in every `os.environ.get("NAME")`, `os.environ["NAME"]`, `os.getenv("NAME")`
    and `env_*("NAME", ...)` helper call of config/settings.py, on every branch."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and reads_the_environment(node.func):
            argument = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            argument = node.slice
        else:
            continue
        if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
            names.add(argument.value)
    return names


def reads_the_environment(function: ast.expr) -> bool:
    name = ast.unparse(function)
    return name in {"os.environ.get", "os.getenv"} or name.startswith("env_")


def variables_documented_in_the_readme() -> set[str]:
    """The names in the first column of the Configuration section's table."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {name for row in rows for name in VARIABLE.findall(row.split("|")[1])}


def test_every_variable_settings_reads_is_documented_in_the_readme():
    read = variables_read_by_settings()
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "DJANGO_SECURE_HSTS_PRELOAD"} <= read

    assert read - variables_documented_in_the_readme() == set()


def test_the_readme_documents_no_variable_settings_does_not_read():
    assert variables_documented_in_the_readme() - variables_read_by_settings() == set()
