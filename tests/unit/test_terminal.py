"""Terminal output: colour only where it helps (a tty, no NO_COLOR, or asked
for), aligned tables and alert lines, cut names, UTC times; the progress bar
keeping out of the way of other lines."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from schemas.alert import SEVERITIES, Alert, AlertKind, Severity
from schemas.common import ActorRef, Place
from schemas.control import ControlState, ControlStatus
from services.alerts.feed import SeenIds
from services.alerts.filter import AlertFilter
from services.shared.terminal import (
    ACTOR_WIDTH,
    ELLIPSIS,
    PLACE_WIDTH,
    ProgressBar,
    Style,
    alert_line,
    colour_wanted,
    control_table,
    display_width,
    truncate,
    utc_minute,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
T0 = datetime(2024, 12, 5, tzinfo=UTC)
HAMA = Place(id="geonames:170063", name="Hama", text="Hama")
HTS = ActorRef(id="hts", name="Hayat Tahrir al-Sham")
GOV = ActorRef(id="sy-gov", name="Syrian government")


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def plain(text: str) -> str:
    return ANSI.sub("", text)


def state(
    name: str,
    status: ControlStatus = "held",
    controller: ActorRef | None = HTS,
    since: datetime | None = T0,
    confidence: float = 0.9,
) -> ControlState:
    return ControlState(
        place=Place(id=f"test:{name}", name=name, text=name),
        status=status,
        controller=controller,
        since=since,
        confidence=confidence,
        updated_at=T0,
        version=1,
    )


def alert(
    kind: AlertKind = "control_changed", severity: Severity = "critical", message: str | None = None
) -> Alert:
    return Alert(
        alert_id=f"{kind}-{severity}",
        kind=kind,
        severity=severity,
        place=HAMA,
        actor=HTS,
        message=message or f"Hama: {kind} ({severity})",
        event_ids=["e1"],
        occurred_at=T0,
    )


# -- when to colour ------------------------------------------------------------


def test_colour_on_a_tty_and_plain_text_elsewhere() -> None:
    assert Style(FakeTty(), environ={}).enabled
    assert not Style(io.StringIO(), environ={}).enabled
    coloured = Style(FakeTty(), environ={}).status("held", "held")
    assert coloured == "\x1b[32mheld\x1b[0m"
    assert Style(io.StringIO(), environ={}).status("held", "held") == "held"


@pytest.mark.parametrize("environ", [{"NO_COLOR": "1"}, {"NO_COLOR": "yes"}, {"TERM": "dumb"}])
def test_no_color_and_dumb_terminals_turn_colour_off(environ: dict[str, str]) -> None:
    assert not colour_wanted(FakeTty(), None, environ)


def test_an_empty_no_color_does_not_count() -> None:
    assert colour_wanted(FakeTty(), None, {"NO_COLOR": ""})  # https://no-color.org: "non-empty"


def test_the_flag_wins_over_the_terminal_and_no_color() -> None:
    assert colour_wanted(io.StringIO(), True, {})
    assert colour_wanted(FakeTty(), True, {"NO_COLOR": "1"})
    assert not colour_wanted(FakeTty(), False, {})


def test_no_color_from_the_real_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Style(FakeTty()).enabled
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("TERM", raising=False)
    assert Style(FakeTty()).enabled


@pytest.mark.parametrize(
    ("status", "sgr"),
    [
        ("held", "32"),
        ("claimed", "33"),
        ("disputed", "33"),
        ("contested", "35"),
        ("threatened", "31"),
        ("unknown", "2"),
    ],
)
def test_status_colours(status: ControlStatus, sgr: str) -> None:
    assert Style(color=True).status(status, status) == f"\x1b[{sgr}m{status}\x1b[0m"


def test_severity_colours() -> None:
    style = Style(color=True)
    assert style.severity("critical", "critical").startswith("\x1b[1;31m")
    assert style.severity("warning", "warning").startswith("\x1b[33m")
    assert style.severity("info", "info").startswith("\x1b[2m")


# -- the status table ----------------------------------------------------------


def test_table_columns_line_up_with_and_without_colour() -> None:
    states = [
        state("Hama"),
        state("Deir ez-Zor", "contested", GOV, confidence=0.5),
        state("Zakiyah", "unknown", None, None, 0.0),
    ]
    lines = control_table(states, Style(io.StringIO()))
    header = lines[0]
    assert header.split() == ["PLACE", "STATUS", "CONTROLLER", "SINCE", "CONF"]
    starts = [header.index(h) for h in ("STATUS", "CONTROLLER", "SINCE", "CONF")]
    assert [line.split("  ")[0].strip() for line in lines[1:]] == ["Deir ez-Zor", "Hama", "Zakiyah"]
    for line in lines[1:]:
        for start in starts:
            assert line[start - 1] == " " and line[start] != " ", (line, start)
    coloured = control_table(states, Style(color=True))
    assert "\x1b[" in coloured[1]
    assert [plain(line) for line in coloured] == lines  # colour never shifts a column


def test_table_shows_utc_times_and_two_decimal_confidence() -> None:
    since = datetime(2024, 12, 5, 23, 30, tzinfo=timezone(timedelta(hours=-2)))
    line = control_table([state("Hama", since=since, confidence=0.875)], Style(io.StringIO()))[1]
    assert "2024-12-06T01:30Z" in line
    assert line.endswith("0.88")
    none = control_table([state("Hama", controller=None, since=None)], Style(io.StringIO()))[1]
    assert none.split()[1:4] == ["held", "-", "-"]


def test_long_names_are_cut_with_an_ellipsis() -> None:
    place = "Al-Qaryatayn and the Eastern Qalamoun Mountains district"
    actor = ActorRef(id="x", name="Southern Operations Room of the Free Syrian Army coalition")
    lines = control_table([state(place, controller=actor), state("Hama")], Style(io.StringIO()))
    cut_place, _, rest = lines[1].partition("  ")
    assert cut_place == place[: PLACE_WIDTH - 1] + ELLIPSIS
    assert actor.name[: ACTOR_WIDTH - 1] + ELLIPSIS in rest
    assert all(len(line) <= len(lines[1]) for line in lines)


def test_width_counts_terminal_columns() -> None:
    assert display_width("Dar‘ā") == 5
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert display_width("北京") == 4
    assert truncate("北京市朝阳区", 5) == "北京" + ELLIPSIS
    assert truncate("Hama", 4) == "Hama"
    assert truncate("Hamah", 4) == "Ham" + ELLIPSIS


def test_utc_minute() -> None:
    assert utc_minute(T0) == "2024-12-05T00:00Z"
    assert utc_minute(None) == "-"


# -- alert lines ---------------------------------------------------------------


def test_alert_lines_keep_their_columns() -> None:
    style = Style(io.StringIO())
    lines = [
        alert_line(alert("threat", "info"), style),
        alert_line(alert("capital_threatened", "warning"), style),
    ]
    assert lines[0].startswith("2024-12-05T00:00Z  info      threat              Hama: threat (info)")
    assert {line.index("Hama:") for line in lines} == {lines[0].index("Hama:")}


def test_alert_lines_are_coloured_by_severity_and_stay_one_line() -> None:
    line = alert_line(alert(message="Hama: first\nsecond"), Style(color=True))
    assert "\x1b[1;31mcritical\x1b[0m" in line
    assert "\n" not in line and plain(line).endswith("Hama: first second")
    assert plain(line) == alert_line(alert(message="Hama: first\nsecond"), Style(io.StringIO()))


# -- which alerts ----------------------------------------------------------------


def test_severity_order_comes_from_the_schema() -> None:
    assert SEVERITIES == ("info", "warning", "critical")


def test_alert_filter_by_kind_and_minimum_severity() -> None:
    everything = AlertFilter.of(None, None)
    assert everything.matches(alert("threat", "info"))
    changes = AlertFilter.of(["control_changed"], None)
    assert changes.matches(alert("control_changed", "info"))
    assert not changes.matches(alert("threat", "critical"))
    serious = AlertFilter.of(None, "warning")
    assert serious.matches(alert("threat", "warning")) and serious.matches(alert("threat", "critical"))
    assert not serious.matches(alert("threat", "info"))


def test_redelivered_alerts_are_recognised_within_the_limit() -> None:
    seen = SeenIds(limit=2)
    assert seen.first_time("a") and not seen.first_time("a")
    assert seen.first_time("b") and seen.first_time("c")  # "a" forgotten now
    assert seen.first_time("a")


# -- progress ----------------------------------------------------------------------


def test_a_line_written_under_a_progress_bar_does_not_garble_it() -> None:
    tty = FakeTty()
    bar = ProgressBar("ingest", 10, "articles", tty)
    bar.advance()
    bar.write("sitrep: bad.txt: empty")
    bar.close()
    screen = tty.getvalue()
    last_draw = screen.rindex("\r")
    assert "\rsitrep: bad.txt: empty\n\ringest: 1/10" in re.sub(r"\r +\r", "\r", screen)
    assert screen[last_draw:].startswith("\ringest: 1/10")


def test_no_progress_bar_off_a_terminal() -> None:
    out = io.StringIO()
    bar = ProgressBar("ingest", 10, "articles", out)
    bar.advance()
    bar.write("sitrep: bad.txt: empty")
    bar.close()
    assert out.getvalue() == "sitrep: bad.txt: empty\n"
