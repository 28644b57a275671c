"""Screenshots of the real app for the README (python -m tui.screenshots)."""
