"""Reading a trainee's feedback page in tests: its visible text, and the words its template writes."""

from __future__ import annotations

import html
import re

# The page's own words as nbgrader's feedback template writes them (nbgrader 0.9.6,
# server_extensions/formgrader/templates/feedback/index.html.j2) and nbconvert's prompts of code cells.
NBGRADER_WORDS = ["Student's answer", "Student's task", "Grade cell:", "Score:", "Test cell", "Coding free-response",
                  "Written response", "Task", "Comment", "Comments:", "(Top)", "Late submission penalty", "In [",
                  "Out["]

_HIDDEN = re.compile(r"<(style|script)\b.*?</\1\s*>", re.S | re.I)
# what makes a browser fetch something: a script, style sheet, image, frame, media or font from elsewhere
_REMOTE = re.compile(r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*\b(?:src|href|data)\s*=\s*"
                     r"[\"']?(?:https?:)?//|url\(\s*[\"']?(?:https?:)?//|@import\s+[\"']?(?:https?:)?//", re.I)


def page_text(page: str) -> str:
    """A page as its reader reads it: styles, scripts and tags removed, entities decoded, white space folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", _HIDDEN.sub(" ", page))).split())


def remote_loads(page: str) -> list[str]:
    """What in ``page`` would make a browser fetch from the network (links a reader may follow are not loads)."""
    return [match.group(0) for match in _REMOTE.finditer(page)]
