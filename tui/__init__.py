"""Basewatch's faces: the `basewatch` command line and the Textual dashboard.

Never calls yfinance."""
