"""Screens of the dashboard: the dashboard itself, the help screen, the drill-down."""
