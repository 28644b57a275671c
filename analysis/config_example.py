"""The config reference: every key with its default, as docs/config.md shows it (a test keeps the
two identical and checks that it parses to ``Config()``)."""


EXAMPLE = '''\
# Basewatch config. Every key is optional; these are the defaults.
watchlist = ["IWM", "^RUT", "SPY", "^GSPC", "QQQ", "DIA", "IJR", "KRE", "XLF", "XLI", "XLV",
             "XLK", "SOXX", "SMH", "^VIX"]
crypto = ["BTC-USD", "ETH-USD", "SOL-USD"]
theme = "basewatch-dark"
source = "auto"            # auto | yahoo | store | sample | csv:/path/to/folder

[benchmark]
small = "IWM"              # small caps ...
large = "SPY"              # ... against large caps
rs_against = "SPY"         # relative strength of every symbol is measured against this
weights_of = "SPY"         # the fund whose index the sector weights are of (S&P 500)

[sectors]                  # sector = { etf, weight = % of the weights_of index }: the fund's live
                           # data wins, then its bundled table (IWM only), then weight, else "—"
Financials = { etf = "XLF" }
Industrials = { etf = "XLI" }
"Health Care" = { etf = "XLV" }
"Information Technology" = { etf = "XLK" }
"Consumer Discretionary" = { etf = "XLY" }
Energy = { etf = "XLE" }
"Consumer Staples" = { etf = "XLP" }
"Communication Services" = { etf = "XLC" }
Materials = { etf = "XLB" }
"Real Estate" = { etf = "XLRE" }
Utilities = { etf = "XLU" }

[race]                     # none by default; a reference-high race, e.g. (examples/article.toml):
symbols = []               # ["ETH-USD", "BTC-USD"]: who first trades above its own high of ...
reference_date = ""        # ... this session, "2025-11-10"
start = ""                 # crossings before this date don't count; empty: the as-of date

[thresholds]
drawdown_pct = 20.0        # a prior cycle ends with a drawdown at least this deep
near_pct = 3.0             # 'near' the pivot within this %
extended_pct = 5.0         # past the buy zone beyond this % above the pivot
confirm_volume_ratio = 1.4 # confirmed breakout: volume >= 1.4 x the 50-day average
fail_sessions = 10         # a close back below the pivot within this many sessions fails it
streak_milestones = [5, 8, 10, 12]
leaders_window = 21        # leaders: first new closing highs within the last N sessions

[refresh]                  # seconds
market_open = 60
market_closed = 900
crypto = 300
deadline = 45

[alerts]
bell = false
command = []               # e.g. ["notify-send", "Basewatch"]; the event arrives as JSON on stdin
timeout_seconds = 10.0

[keys]                     # binding id = key, e.g. refresh = "f5"
'''
