"""The app's parts: watchlist editing, the cached start and the alert-command queue."""
