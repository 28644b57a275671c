"""Pure, vectorised facts computed from bar frames, each returned as a frozen dataclass.

Every function takes bars that end at the "as of" session and uses nothing after it.
"""
