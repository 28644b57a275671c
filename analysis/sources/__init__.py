"""Bar sources (yahoo, csv folder, bundled sample, replay), the SQLite bar store, and `auto`."""
