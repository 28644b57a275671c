"""Key bindings: every binding with its id, the config's [keys] remapping, the drill-down keys."""
