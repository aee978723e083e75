"""Make untrusted document text inert before it reaches a terminal.

Documents arrive in pull requests: their text (and front matter) must never
become escape sequences (ESC, CSI, OSC 8 links, OSC 52 clipboard writes),
bidirectional overrides that reorder what a reviewer sees, or rich markup.
Rich markup is avoided by always building `rich.text.Text` objects rather than
markup strings; this module removes what Text would still pass through.
"""

from __future__ import annotations

import re

# C0 controls except tab/newline, DEL, C1 controls, bidi embeddings/overrides/isolates
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def inert(text: str, *, single_line: bool = False) -> str:
    """Replace control and bidi characters with visible escapes such as `\\x1b`."""
    cleaned = _UNSAFE.sub(
        lambda m: f"\\x{ord(m.group(0)):02x}" if ord(m.group(0)) < 0x100 else f"\\u{ord(m.group(0)):04x}",
        text,
    )
    if single_line:
        cleaned = cleaned.replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return cleaned
