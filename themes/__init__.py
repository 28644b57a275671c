"""Theme files; see tui/themes.py for the format."""
