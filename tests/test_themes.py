"""Theme files: the bundled ones parse and are complete, user themes load and override, broken
files are skipped with a message naming them, colours convert for plotext, `basewatch themes`."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

import plotext as plt
import pytest
from textual.app import App
from textual.widgets import DataTable, Footer

from analysis.config import Config
from tui.chart.canvas import plotext_colour
from tui.themes import (
    DEFAULT_THEME,
    load_themes,
    next_theme_name,
    resolve_theme_name,
)

SEMANTIC = ("up", "down", "breakout", "failed", "stale", "zone", "pivot", "ath")
REQUIRED = {"basewatch-dark", "basewatch-light", "high-contrast", "ansi16"}
ANSI16 = [f"ansi_{n}" for n in (
    "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white", "bright_black",
    "bright_red", "bright_green", "bright_yellow", "bright_blue", "bright_magenta", "bright_cyan",
    "bright_white")]
TEXTUAL_COLOURS = ("primary", "secondary", "accent", "foreground", "background", "surface",
                   "panel", "boost", "success", "warning", "error")

GOOD = """\
name = "mine"
dark = false
primary = "#112233"
background = "#fafafa"
[semantic]
up = "#008000"
down = "#c00000"
breakout = "#806000"
failed = "#a04000"
stale = "#707070"
zone = "#6000a0"
pivot = "#005080"
ath = "#900090"
"""


def bundled_files() -> list[Path]:
    folder = resources.files("themes")
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith(".toml"))


def raw(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _relative_luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = []
    for i in (0, 2, 4):
        c = int(h[i:i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_relative_luminance(a), _relative_luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_every_bundled_theme_file_loads_without_messages(tmp_path):
    themes, messages = load_themes(user_dir=tmp_path / "none")
    assert messages == []
    files = bundled_files()
    assert len(files) >= 6
    assert len(themes) == len(files)
    names = {t.name for t in themes}
    assert names >= REQUIRED
    assert Config().theme == DEFAULT_THEME and DEFAULT_THEME in names
    assert all(t.source == "bundled" for t in themes)


@pytest.mark.parametrize("path", bundled_files(), ids=lambda p: p.stem)
def test_bundled_theme_defines_every_semantic_colour_as_written(path):
    data = raw(path)
    assert set(data["semantic"]) == set(SEMANTIC)
    themes, _ = load_themes()
    loaded = next(t for t in themes if t.path == path)
    for name in SEMANTIC:
        assert getattr(loaded.semantic, name) == data["semantic"][name]
    for key in TEXTUAL_COLOURS:
        assert getattr(loaded.theme, key) == data.get(key)
    assert loaded.theme.dark is data["dark"]


def test_there_is_a_light_theme_and_a_dark_default():
    themes = {t.name: t for t in load_themes()[0]}
    assert themes["basewatch-light"].dark is False
    assert themes[DEFAULT_THEME].dark is True


def test_ansi16_uses_only_the_16_ansi_colours():
    data = raw(next(p for p in bundled_files() if p.stem == "ansi16"))
    assert data["ansi"] is True
    allowed = set(ANSI16) | {"ansi_default"}
    used = [data[k] for k in TEXTUAL_COLOURS if k in data]
    used += list(data["semantic"].values())
    used += [v for k, v in data.get("variables", {}).items() if "style" not in k]
    assert used and all(v in allowed for v in used), [v for v in used if v not in allowed]
    # the trader colours must tell the states apart
    assert len(set(data["semantic"].values())) == len(SEMANTIC)


@pytest.mark.parametrize("path", [p for p in bundled_files() if p.stem != "ansi16"],
                         ids=lambda p: p.stem)
def test_truecolor_themes_keep_trader_colours_readable(path):
    """WCAG contrast of each trader colour against the background and the surface: at least 3:1
    (UI components), and 7:1 in the high-contrast theme."""
    data = raw(path)
    floor = 7.0 if path.stem == "high-contrast" else 3.0
    for ground in ("background", "surface"):
        for name, colour in data["semantic"].items():
            ratio = contrast(colour, data[ground])
            assert ratio >= floor, f"{path.stem}: {name} on {ground} is {ratio:.2f}:1"


class ThemeApp(App):
    def compose(self):
        table = DataTable()
        table.add_columns("sym", "chg")
        table.add_row("SPY", "+1.0%")
        yield table
        yield Footer()


async def test_every_bundled_theme_applies_in_a_real_textual_app():
    themes, _ = load_themes()
    app = ThemeApp()
    async with app.run_test() as pilot:
        for t in themes:
            app.register_theme(t.theme)
        for t in themes:
            app.theme = t.name
            await pilot.pause()
            assert app.current_theme.name == t.name
            assert app.theme_variables["primary"]


def test_user_theme_loads_and_overrides_a_bundled_one(tmp_path):
    user = tmp_path / "themes"
    user.mkdir()
    (user / "mine.toml").write_text(GOOD, encoding="utf-8")
    override = raw(next(p for p in bundled_files() if p.stem == DEFAULT_THEME))
    text = (next(p for p in bundled_files() if p.stem == DEFAULT_THEME)
            .read_text(encoding="utf-8").replace(override["semantic"]["up"], "#00ff7f"))
    (user / "my-dark.toml").write_text(text, encoding="utf-8")  # name = "basewatch-dark" inside
    bundled_order = [t.name for t in load_themes(user_dir=tmp_path / "none")[0]]

    themes, messages = load_themes(user_dir=user)

    assert messages == []
    by_name = {t.name: t for t in themes}
    assert by_name["mine"].source == "user" and by_name["mine"].path == user / "mine.toml"
    assert by_name["mine"].dark is False and by_name["mine"].semantic.up == "#008000"
    dark = by_name[DEFAULT_THEME]
    assert dark.source == "user" and dark.semantic.up == "#00ff7f"
    assert [t.name for t in themes] == [*bundled_order, "mine"]  # override keeps its place


def test_user_themes_come_from_the_config_dir_by_default(user_dirs):
    folder = user_dirs["config"] / "themes"
    folder.mkdir()
    (folder / "mine.toml").write_text(GOOD, encoding="utf-8")
    themes, _ = load_themes()
    assert any(t.name == "mine" and t.source == "user" for t in themes)


BROKEN = {
    "bad-toml": ("not valid TOML", GOOD.replace('dark = false', 'dark = ')),
    "missing-semantic": ("missing 'ath'", GOOD.replace('ath = "#900090"\n', "")),
    "no-semantic-table": ("[semantic] table is required", GOOD.split("[semantic]")[0]),
    "bad-colour": ("not a colour", GOOD.replace('"#c00000"', '"blurple"')),
    "bad-top-colour": ("not a colour", GOOD.replace('"#112233"', '"#12345"')),
    "unknown-key": ("unknown key 'primry'", GOOD.replace("primary =", "primry =")),
    "no-primary": ("'primary' is required", GOOD.replace('primary = "#112233"\n', "")),
    "dark-not-bool": ("true or false", GOOD.replace("dark = false", 'dark = "no"')),
    "bad-variable": ("not a colour",
                     GOOD.replace("[semantic]", '[variables]\nborder = "nope"\n[semantic]')),
    "bad-style": ("not a text style", GOOD.replace(
        "[semantic]", '[variables]\nblock-cursor-text-style = "shiny"\n[semantic]')),
    "extra-semantic": ("unknown colour 'sideways'", GOOD + 'sideways = "#000000"\n'),
}


@pytest.mark.parametrize("stem", sorted(BROKEN))
def test_broken_user_theme_is_skipped_and_named(tmp_path, stem):
    reason, text = BROKEN[stem]
    user = tmp_path / "themes"
    user.mkdir()
    (user / f"{stem}.toml").write_text(text, encoding="utf-8")
    (user / "zz-good.toml").write_text(GOOD.replace('"mine"', '"zz-good"'), encoding="utf-8")

    themes, messages = load_themes(user_dir=user)

    assert len(messages) == 1
    assert str(user / f"{stem}.toml") in messages[0] and reason in messages[0]
    names = [t.name for t in themes]
    assert "zz-good" in names and stem not in names and "mine" not in names


def test_a_theme_variable_textual_rejects_would_have_crashed_the_app(tmp_path):
    """Why bad [variables] are checked: Textual fails to parse its stylesheet on them."""
    from textual.css.stylesheet import StylesheetParseError
    from textual.theme import Theme

    app = ThemeApp()

    async def run():
        async with app.run_test() as pilot:
            app.register_theme(Theme(name="x", primary="#ff0000",
                                     variables={"block-cursor-background": "nope"}))
            app.theme = "x"
            await pilot.pause()

    import asyncio

    with pytest.raises(StylesheetParseError):
        asyncio.run(run())


def test_every_variable_textual_itself_generates_passes_our_check():
    from textual.theme import BUILTIN_THEMES

    from tui.themes import parse_theme

    for builtin in BUILTIN_THEMES.values():
        variables = {**builtin.to_color_system().generate(), **builtin.variables}
        block = "\n".join(f'{k} = "{v}"' for k, v in variables.items())
        parse_theme(GOOD.replace("[semantic]", f"[variables]\n{block}\n[semantic]"), "x")


def test_duplicate_names_in_the_user_folder_keep_the_first_file(tmp_path):
    user = tmp_path / "themes"
    user.mkdir()
    (user / "a.toml").write_text(GOOD, encoding="utf-8")
    (user / "b.toml").write_text(GOOD.replace("#112233", "#445566"), encoding="utf-8")
    themes, messages = load_themes(user_dir=user)
    mine = [t for t in themes if t.name == "mine"]
    assert len(mine) == 1 and mine[0].path == user / "a.toml"
    assert len(messages) == 1 and str(user / "b.toml") in messages[0]


def test_next_theme_name_cycles_in_load_order_and_wraps():
    themes = load_themes()[0]
    names = [t.name for t in themes]
    seen = [names[0]]
    for _ in range(len(names)):
        seen.append(next_theme_name(themes, seen[-1]))
    assert seen[:-1] == names and seen[-1] == names[0]
    assert next_theme_name(themes, names[0], -1) == names[-1]
    assert next_theme_name(themes, "not-a-theme") == names[0]


def test_resolve_theme_name_takes_the_first_known_and_reports_unknown():
    themes = load_themes()[0]
    name, msgs = resolve_theme_name(themes, ("--theme", None), ("state", "nope"),
                                    ("config", "ansi16"))
    assert name == "ansi16"
    assert len(msgs) == 1 and "state" in msgs[0] and "'nope'" in msgs[0]
    assert "basewatch-light" in msgs[0]  # lists the known ones
    assert resolve_theme_name(themes, ("config", "zzz"))[0] == DEFAULT_THEME


@pytest.mark.parametrize("colour, expected", [
    ("ansi_red", 1), ("ansi_bright_red", 9), ("ansi_default", "default"), ("", "default"),
    ("#ff8000", (255, 128, 0)), ("#f80", (255, 136, 0)), ("tomato", (255, 99, 71)),
    ("rgb(1, 2, 3)", (1, 2, 3)),
])
def test_plotext_colour(colour, expected):
    assert plotext_colour(colour) == expected


def test_plotext_colour_keeps_the_ansi_index():
    """Each of the 16 ANSI colours draws that same palette slot of the terminal."""
    assert [plotext_colour(name) for name in ANSI16] == list(range(16))


def test_plotext_draws_with_every_theme_colour():
    for t in load_themes()[0]:
        for name in SEMANTIC:
            plt.clf()
            plt.plot([1, 2, 3], [1, 3, 2], color=plotext_colour(getattr(t.semantic, name)))
            plt.plotsize(20, 6)
            assert plt.build()
    plt.clf()


def test_basewatch_themes_lists_every_theme_with_kind_and_source(capsys, user_dirs):
    from tui.cli import main

    folder = user_dirs["config"] / "themes"
    folder.mkdir()
    (folder / "mine.toml").write_text(GOOD, encoding="utf-8")
    assert main(["themes"]) == 0
    out = capsys.readouterr().out
    for t in load_themes()[0]:
        assert t.name in out
    lines = {line.split()[1] if line.startswith("*") else line.split()[0]: line
             for line in out.splitlines() if line.strip() and not line.startswith("Your")}
    assert lines[DEFAULT_THEME].startswith("*")  # the one the dashboard starts with
    assert "light" in lines["basewatch-light"] and "bundled" in lines["basewatch-light"]
    assert "ansi dark" in lines["ansi16"]
    assert "user" in lines["mine"] and str(folder / "mine.toml") in lines["mine"]
    assert str(folder) in out


def test_basewatch_themes_marks_the_configured_theme(capsys, user_dirs):
    from tui.cli import main

    (user_dirs["config"] / "config.toml").write_text('theme = "gruvbox"\n', encoding="utf-8")
    assert main(["themes"]) == 0
    marked = [line for line in capsys.readouterr().out.splitlines() if line.startswith("*")]
    assert len(marked) == 1 and "gruvbox" in marked[0]


def test_basewatch_themes_reports_a_broken_file_and_exits_1(capsys, user_dirs):
    from tui.cli import main

    folder = user_dirs["config"] / "themes"
    folder.mkdir()
    (folder / "oops.toml").write_text(BROKEN["missing-semantic"][1], encoding="utf-8")
    assert main(["themes"]) == 1
    captured = capsys.readouterr()
    assert str(folder / "oops.toml") in captured.err and "missing 'ath'" in captured.err
    assert DEFAULT_THEME in captured.out


async def test_a_user_ansi_theme_without_ansi_variables_still_applies(tmp_path):
    """Textual's Screen CSS needs $ansi-background, which its ANSI colour system leaves out."""
    user = tmp_path / "themes"
    user.mkdir()
    text = GOOD.replace("dark = false", "dark = true\nansi = true").replace(
        '"#112233"', '"ansi_blue"').replace('"#fafafa"', '"ansi_default"')
    (user / "mine.toml").write_text(text, encoding="utf-8")
    mine = next(t for t in load_themes(user_dir=user)[0] if t.name == "mine")
    app = ThemeApp()
    async with app.run_test() as pilot:
        app.register_theme(mine.theme)
        app.theme = "mine"
        await pilot.pause()
        assert app.current_theme.name == "mine"
