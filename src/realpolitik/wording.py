"""Small wording helpers shared by the CLI, the report and the web app: counts with the
right noun form and labels wrapped onto lines instead of cut."""

from __future__ import annotations

import textwrap

__all__ = ["counted", "wrap"]


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 issue"``, ``"2 issues"`` (``plural`` for irregular nouns).

    >>> counted(1, "issue"), counted(0, "actor"), counted(2, "analysis", "analyses")
    ('1 issue', '0 actors', '2 analyses')
    """
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def wrap(label: str, width: int = 28, lines: int = 3) -> list[str]:
    """``label`` on at most ``lines`` lines of about ``width`` characters, whole words kept;
    only text beyond the last line is elided, with one "…".

    >>> wrap("sanctions and full diplomatic isolation of the regime", 20)
    ['sanctions and full', 'diplomatic isolation', 'of the regime']
    """
    out = textwrap.wrap(label.strip(), width, break_long_words=True) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(" .…") + "…"
    return out
