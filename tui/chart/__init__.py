"""The drill-down chart: what to draw (data, levels, cells) and the plotext widgets that draw it."""
