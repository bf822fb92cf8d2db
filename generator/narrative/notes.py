"""Correction notes as a brief shows them: dated, with what changed from what to what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.escape import escape_md
from generator.narrative import numbers as N

if TYPE_CHECKING:
    from generator.corrections import Change, Correction

NOTE_CLASS = "brief-correction"


def correction_note(correction: Correction) -> str:
    """Return a correction's note as a Markdown block (every data string escaped)."""
    lead = f"**Corrected on {N.long_date(correction.day)}.**"
    if correction.files:
        files = "; ".join(_file(c) for c in correction.files)
        cause = f"A file this brief is computed from changed: {files}."
    else:
        cause = "It was computed again after a correction of earlier data."
    if correction.figures:
        what = "Changed: " + "; ".join(
            f"{escape_md(c.what)} {escape_md(c.before)} → {escape_md(c.after)}"
            for c in correction.figures) + "."
    elif correction.sentences:
        what = "No figure of the summary changed; the sentences below did."
    else:
        what = "No figure or sentence changed."
    lines = [f'<div class="{NOTE_CLASS}" markdown>', "", f"{lead} {cause} {what}", ""]
    if correction.sentences:
        lines += ['<details markdown><summary>Sentences before this correction</summary>', ""]
        lines += [f"- {_sentence(c)}" for c in correction.sentences]
        lines += ["", "</details>", ""]
    lines.append("</div>")
    return "\n".join(lines) + "\n"


def _file(change: Change) -> str:
    name = escape_md(change.what)
    if change.before == "none":
        return f"{name} was added"
    if change.after == "none":
        return f"{name} was removed"
    return (f"{name} was re-issued (sha256 `{escape_md(change.before)}` → "
            f"`{escape_md(change.after)}`)")


def _sentence(change: Change) -> str:
    if not change.before:
        return f"Added: “{escape_md(change.after)}”"
    if not change.after:
        return f"Removed: “{escape_md(change.before)}”"
    return f"Was: “{escape_md(change.before)}” Now: “{escape_md(change.after)}”"
