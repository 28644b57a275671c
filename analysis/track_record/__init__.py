"""The track record of every signal: what the dashboard would have raised, day by day on the bars
up to each day only, and what followed (`basewatch backtest`).

signals.py: the signals of one symbol (and the naive baseline); outcomes.py: forward returns and
the bounded failure rule; stats.py: the record of a set of signals with standard errors;
engine.py: a universe over a period; record.py: the bundled record the app reads (which signals
alert, and each kind's figures)."""
