"""Textual's Footer without its leak: every screen uses this one.

Textual's Footer recomposes whenever the active key bindings change (the focus moves to another
pane, a screen opens, the replay feed appears) and binds each new FooterKey to its ``compact``
reactive with ``data_bind``. The watcher that binding stores on the Footer is only dropped when
``compact`` changes again, so every recompose kept the old keys alive (Textualize/textual#6666):
about 0.5 MB per focus change, and during a replay one recompose per session. This Footer drops
the watchers of keys that are gone after each recompose.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's Footer; after each recompose, watchers of removed keys are dropped."""

    async def recompose(self) -> None:
        await super().recompose()
        # Textual keeps watchers on the observed object under this name (textual.reactive._watch)
        # and itself prunes those whose owner is closing, but only when the value changes.
        watchers = getattr(self, "__watchers", None) or {}
        for entries in watchers.values():
            entries[:] = [(owner, callback) for owner, callback in entries
                          if not getattr(owner, "_closing", False)
                          and getattr(owner, "is_attached", True)]


class FooterFit:
    """A screen whose footer leaves out the ``FOOTER_WIDE_ONLY`` keys (binding ids) below
    ``FOOTER_NARROW`` columns, so the keys it names are never cut off; they still work and ``?``
    lists them. The screen calls ``refresh_bindings()`` when it is resized."""

    FOOTER_NARROW: ClassVar[int] = 0
    FOOTER_WIDE_ONLY: ClassVar[frozenset[str]] = frozenset()

    @property
    def active_bindings(self) -> dict[str, Any]:
        active = super().active_bindings  # type: ignore[misc]
        if self.size.width >= self.FOOTER_NARROW:  # type: ignore[attr-defined]
            return active
        return {key: a._replace(binding=dataclasses.replace(a.binding, show=False))
                if a.binding.id in self.FOOTER_WIDE_ONLY else a for key, a in active.items()}
