"""Benchmarks with targets. `make bench` (python -m bench) runs every module here that has
``run() -> list[dict]`` (each dict: name, measured, target, unit, and optional note) and prints each
figure beside its target. Not timed unit tests: numbers for people, not pass/fail gates."""
