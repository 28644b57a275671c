"""Measurements of the signals on real data outside the package (`make eval`).

Each module here has ``main(data: Path) -> int`` and measures one thing on the evaluation set (by
default ``../shared/data/sp500``, real daily bars of S&P 500 stocks; ``BASEWATCH_EVAL_DATA`` points
elsewhere). Never imported by the package or by unit tests."""
