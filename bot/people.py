"""How a customer is named where colleagues can see it (the caseworker group)."""

from __future__ import annotations


def group_name(full_name: str, style: str) -> str:
    """`initial`: first name and initial of the last name (Max M.); `full`; `none`: empty."""
    if style == "full":
        return full_name
    if style == "none":
        return ""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    return f"{parts[0]} {parts[-1][0]}."
