"""The rules of the base detector: the base kinds (with their words), every parameter of the
published rules (`BaseRules`), the tick per symbol, and the message of each rule and penalty.

`analysis.facts.base_shapes` measures candidates against these rules and `analysis.facts.bases`
turns the winners into `Base` results; both import this module, neither imports the other's rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from analysis.instruments import InstrumentKind, instrument_kind


class BaseKind(StrEnum):
    """A base kind. The value is the stable name (scan --json, config); ``words`` is how a trader
    reads it (every kind has its words: no view ever shows the raw name)."""

    CUP_WITH_HANDLE = "cup_with_handle"
    CUP = "cup"
    FLAT_BASE = "flat_base"
    DOUBLE_BOTTOM = "double_bottom"
    CONSOLIDATION = "consolidation"

    @property
    def words(self) -> str:
        """The kind as a trader writes it ("cup-with-handle", "flat-base", ...)."""
        return WORDS[self]


WORDS = {
    BaseKind.CUP_WITH_HANDLE: "cup-with-handle",
    BaseKind.CUP: "cup",
    BaseKind.FLAT_BASE: "flat-base",
    BaseKind.DOUBLE_BOTTOM: "double-bottom",
    BaseKind.CONSOLIDATION: "consolidation",
}
KINDS: tuple[BaseKind, ...] = tuple(BaseKind)

PENALTIES: tuple[tuple[str, int], ...] = (
    ("deep_bull", 25),
    ("v_shape", 10),
    ("handle_volume", 10),
    ("handle_not_drifting", 5),
    ("no_dry_up", 5),
    ("below_ma", 10),
)
# When several kinds fit one span (the same left-side high, the same session), the base is the
# most specific of them: a handle makes a cup a cup with handle, a W a double bottom, a shallow
# one a flat base; a consolidation is what is left.
SPECIFICITY: tuple[BaseKind, ...] = (BaseKind.CUP_WITH_HANDLE, BaseKind.DOUBLE_BOTTOM,
                                     BaseKind.FLAT_BASE, BaseKind.CUP, BaseKind.CONSOLIDATION)
# Of the kinds a span was seen as before it broke out, the one reported: the most specific.
RECENT_PRIORITY = {kind: len(SPECIFICITY) - i for i, kind in enumerate(SPECIFICITY)}


@dataclass(frozen=True)
class BaseRules:
    """Every parameter of the base detector. Percentages in %, lengths in calendar weeks.

    Defaults follow O'Neil (IBD): cup with handle after a >= 30% advance, the cup 12-33% deep (to
    50% when ``bear_market``; deeper than 33% otherwise costs quality) and >= 6 weeks, >= 7 weeks
    with the handle, at most 65; the handle >= 5 sessions, in the upper half of the cup, every
    close at or above the 10-week (50-session) average, <= 12% deep, drifting down on lighter
    volume (else quality is lost); a cup without a handle >= 6 weeks; flat base >= 5 weeks,
    <= 15% deep after a >= 20% advance; double bottom >= 7 weeks with the second low undercutting
    the first (by at most ``db_max_undercut_pct``) and a middle peak >= ``db_min_rally_pct``
    above the first low; consolidation near highs: >= 4 weeks within 8% under an all-time
    (in-data) high. ``tick`` is added to every pivot: none by default, the high itself is the buy
    point (a fixed 10 cents is 12% of a $0.81 split-adjusted price; see `rules_for_symbol`).
    """

    tick: float = 0.0
    max_weeks: float = 65.0
    prior_weeks: float = 26.0
    peak_weeks: int = 2
    cup_prior_uptrend_pct: float = 30.0
    cup_min_depth_pct: float = 12.0
    cup_max_depth_pct: float = 33.0
    bear_max_depth_pct: float = 50.0
    bear_market: bool = False
    cup_min_weeks: float = 6.0
    cwh_min_weeks: float = 7.0
    lip_pct: float = 10.0
    v_shape_max: float = 0.5
    handle_min_sessions: int = 5
    handle_max_depth_pct: float = 12.0
    handle_min_position: float = 0.5
    flat_min_weeks: float = 5.0
    flat_max_depth_pct: float = 15.0
    flat_prior_uptrend_pct: float = 20.0
    db_min_weeks: float = 7.0
    db_min_depth_pct: float = 10.0
    db_max_undercut_pct: float = 6.0
    db_min_rally_pct: float = 10.0
    db_min_separation_weeks: float = 3.0
    consolidation_min_weeks: float = 4.0
    consolidation_depth_pct: float = 8.0
    recent_sessions: int = 40
    fail_sessions: int = 10
    penalties: tuple[tuple[str, int], ...] = PENALTIES

    def penalty(self, label: str) -> float:
        """Quality points a penalty label costs."""
        return float(dict(self.penalties).get(label, 0))

    def tail_days(self) -> int:
        """Calendar days of history the rules can look at from the first evaluated session."""
        weeks = self.max_weeks + self.prior_weeks + self.peak_weeks + 4
        return int(weeks * 7 + self.recent_sessions * 1.5 + 10)


def rules_for_symbol(symbol: str, rules: BaseRules | None = None,
                     kind: InstrumentKind | None = None) -> BaseRules:
    """Rules with the tick that fits the symbol's instrument ``kind`` (default: what
    `instrument_kind` knows of it): the given tick (default none) for a share, an ETF or a
    future; none for an index, a coin, a currency pair or a volatility index, where a 10-cent buy
    stop means nothing."""
    rules = rules or BaseRules()
    if not (kind or instrument_kind(symbol)).has_tick:
        return replace(rules, tick=0.0)
    return rules


MESSAGES = {
    "prior_uptrend_cup": "prior advance {prior_gain:.0f}% < {r.cup_prior_uptrend_pct:.0f}%",
    "prior_uptrend_flat": "prior advance {prior_gain:.0f}% < {r.flat_prior_uptrend_pct:.0f}%",
    "too_shallow_cup": "{depth:.1f}% deep < {r.cup_min_depth_pct:.0f}% minimum for a cup",
    "too_deep_cup": "{depth:.1f}% deep > {r.bear_max_depth_pct:.0f}% maximum",
    "too_short_cup": "{weeks:.1f} weeks < {r.cup_min_weeks:.0f}-week minimum",
    "too_short_cup_part": "cup {cup_weeks:.1f} weeks < {r.cup_min_weeks:.0f}-week minimum",
    "too_short_cwh": "{weeks:.1f} weeks < {r.cwh_min_weeks:.0f}-week minimum",
    "too_long": "{weeks:.1f} weeks > {r.max_weeks:.0f}-week maximum",
    "no_right_side": "still at its low: no right side yet",
    "right_side_low": "right side {rs:.2f} not within {r.lip_pct:.0f}% of the left-side high "
    "{hl:.2f}",
    "no_handle": "no handle yet (sessions since the right-side high {rs:.2f}: "
    "{handle_sessions:.0f} < {r.handle_min_sessions})",
    "has_handle": "has a handle ({handle_sessions:.0f} sessions)",
    "handle_below_ma": "a handle close under the 10-week average",
    "handle_too_deep": "handle {h_depth:.1f}% deep > {r.handle_max_depth_pct:.0f}%",
    "handle_lower_half": "handle low {h_low:.2f} in the lower half of the cup (midpoint {mid:.2f})",
    "too_deep_flat": "{depth:.1f}% deep > {r.flat_max_depth_pct:.0f}% for a flat base",
    "too_short_flat": "{weeks:.1f} weeks < {r.flat_min_weeks:.0f}-week minimum",
    "no_w": "no first low at least {r.db_min_separation_weeks:.0f} weeks before the low",
    "no_undercut": "second low {low:.2f} does not undercut the first {low1:.2f}",
    "no_undercut_b": "second low {h_low:.2f} does not undercut the first {low:.2f}",
    "undercut_too_deep": "second low undercuts the first by {undercut:.1f}% > "
    "{r.db_max_undercut_pct:.0f}%",
    "middle_peak_low": "middle peak {mid_peak:.2f} only {rally:.1f}% above the first low",
    "middle_peak_taken": "price already traded above the middle peak {mid_peak:.2f}",
    "too_shallow_db": "{depth:.1f}% deep < {r.db_min_depth_pct:.0f}% minimum",
    "too_short_db": "{weeks:.1f} weeks < {r.db_min_weeks:.0f}-week minimum",
    "not_at_ath": "left-side high {hl:.2f} is not the all-time high in the data",
    "too_deep_consolidation": "range {depth:.1f}% > {r.consolidation_depth_pct:.0f}% under the "
    "high",
    "too_short_consolidation": "{weeks:.1f} weeks < {r.consolidation_min_weeks:.0f}-week minimum",
    "deep_bull": "{depth:.1f}% deep: beyond {r.cup_max_depth_pct:.0f}% (only normal in a bear "
    "market)",
    "v_shape": "V-shaped: little time near the low",
    "same_span": "the same span is a more specific base",
    "handle_volume": "handle volume not lighter than the cup's",
    "handle_not_drifting": "handle not drifting down (its low came early)",
    "no_dry_up": "volume not drying up in the last two weeks",
    "below_ma": "price below its 50-day average",
}



# Why a base is its kind: the rules it met, with its own numbers (the drill-down and scan --json).
WHY = {
    BaseKind.CUP_WITH_HANDLE: "cup {depth:.1f}% deep over {cup_weeks:.1f} weeks after a "
    "{prior_gain:.0f}% advance; handle {handle_sessions:.0f} sessions, {h_depth:.1f}% deep, in the "
    "upper half and above the 10-week average; pivot = the handle's high",
    BaseKind.CUP: "{depth:.1f}% deep over {weeks:.1f} weeks after a {prior_gain:.0f}% advance, "
    "the right side back within {r.lip_pct:.0f}% of the left-side high, no handle (yet); "
    "pivot = the left-side high",
    BaseKind.FLAT_BASE: "{weeks:.1f} weeks only {depth:.1f}% deep, after a {prior_gain:.0f}% "
    "advance; pivot = the base's high",
    BaseKind.DOUBLE_BOTTOM: "a W over {weeks:.1f} weeks: the second low {low:.2f} undercuts the "
    "first {low1:.2f}; pivot = the middle peak",
    BaseKind.CONSOLIDATION: "{weeks:.1f} weeks within {depth:.1f}% under the all-time high "
    "{hl:.2f}",
}
NOT_FLAT = {
    "short": "; not a flat base: under {r.flat_min_weeks:.0f} weeks",
    "advance": "; not a flat base: a {prior_gain:.0f}% advance into it, under "
    "{r.flat_prior_uptrend_pct:.0f}%",
}


def why(kind: BaseKind, cell: dict[str, float], rules: BaseRules) -> str:
    """Why a base with the measurements ``cell`` is of ``kind`` (for a consolidation: also why it
    is not a flat base)."""
    text = WHY[kind].format(r=rules, **cell)
    if kind is BaseKind.CONSOLIDATION:
        short = cell["weeks"] < rules.flat_min_weeks
        text += NOT_FLAT["short" if short else "advance"].format(r=rules, **cell)
    return text
