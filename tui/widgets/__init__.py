"""Widgets of the dashboard: the market strip, the panes (one module each), the prompt."""
