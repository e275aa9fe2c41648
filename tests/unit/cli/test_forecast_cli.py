"""`techpm forecast`: options, the JSON contract, hand-computed answers and located errors."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from techpm.cli.forecast import forecast

app = typer.Typer()
app.command()(forecast)
runner = CliRunner()
ROOT = Path(__file__).resolve().parents[3]


def backlog_plan(status_date: str | None = "2027-01-15") -> str:
    """Two items finished on each working day from Mon 2027-01-04 to Fri 2027-01-15 (20
    items in 10 working days), six open items, and two milestones."""
    lines = [
        "project: {name: Shop, start: 2027-01-04"
        + (f", status_date: {status_date}" if status_date else "")
        + "}",
        "calendars:",
        "  standard: {workweek: [mon, tue, wed, thu, fri], holidays: {country: US}}",
        "workflow: {states: [todo, doing, done]}",
        "tasks:",
    ]
    day = date(2027, 1, 4)
    n = 0
    while day <= date(2027, 1, 15):
        if day.weekday() < 5:
            for hour in (10, 15):
                n += 1
                lines.append(
                    f"  - {{id: d{n}, name: Done {n}, duration: 1d, status: done, history: "
                    f"[{{at: {day}T09:00, to: doing}}, {{at: {day}T{hour}:00, to: done, "
                    "from: doing}]}"
                )
        day += timedelta(days=1)
    for k in range(1, 7):
        lines.append(f"  - {{id: o{k}, name: Open {k}, duration: 1d, status: todo}}")
    lines.append("  - {id: alpha, name: Alpha, milestone: true, after: [o1, o2]}")
    lines.append("  - {id: ga, name: GA, milestone: true, after: [alpha, o3, o4, o5, o6],")
    lines.append("     deadline: 2027-01-22}")
    return "\n".join(lines) + "\n"


def run(*args: str) -> Any:
    result = runner.invoke(app, [*args])
    return result


def json_of(*args: str) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def plan_file(tmp_path: Path, text: str | None = None) -> str:
    path = tmp_path / "plan.yaml"
    path.write_text(text if text is not None else backlog_plan())
    return str(path)


def test_when_the_open_items_will_be_done(tmp_path: Path) -> None:
    data = json_of(plan_file(tmp_path), "--seed", "3", "-n", "2000")
    # status date Fri 2027-01-15; Mon 18 is Martin Luther King Jr. Day: the forecast starts
    # Tue 19. Two items a day, every day: 6 open items take 3 working days, Tue to Thu 21.
    assert data["start"] == "2027-01-19"
    assert data["history"] == {
        "source": plan_file(tmp_path),
        "from": "2027-01-04",
        "to": "2027-01-15",
        "samples": 10,
        "finished_items": 20,
        "per_day": 2,
        "undated": 0,
    }
    assert (data["open_items"], data["items"], data["iterations"], data["seed"]) == (
        6,
        6,
        2000,
        3,
    )
    for c in ("50", "70", "85", "95"):
        assert data["when"][c] == {"date": "2027-01-21", "days": 3, "calendar_days": 3}
    assert data["distribution"]["when"] == {
        "mean": 3,
        "std": 0,
        "min": 3,
        "max": 3,
        "histogram": {"3": 2000},
    }
    assert data["how_many"] is None
    assert data["milestones"] is None


def test_how_many_by_a_date_and_items(tmp_path: Path) -> None:
    plan = plan_file(tmp_path)
    data = json_of(plan, "--by", "2027-01-29", "--items", "7", "--seed", "1")
    # Tue 19 to Fri 29 is 9 working days: 18 items in every run; 7 items take 4 days (Fri 22)
    assert data["by"] == "2027-01-29"
    assert data["by_working_days"] == 9
    assert data["how_many"] == {"50": 18, "70": 18, "85": 18, "95": 18}
    assert data["when"]["85"] == {"date": "2027-01-22", "days": 4, "calendar_days": 4}
    only_by = json_of(plan, "--by", "2027-01-29", "--seed", "1")
    assert only_by["when"] is None


def test_milestones(tmp_path: Path) -> None:
    data = json_of(plan_file(tmp_path), "--milestones", "--seed", "2")
    assert data["when"] is None
    alpha, ga = data["milestones"]
    # alpha waits for o1 and o2: one day (Tue 19); ga for those and four more: 3 days
    assert (alpha["id"], alpha["items"], alpha["target"]) == ("alpha", ["o1", "o2"], 2)
    assert alpha["when"]["95"] == {"date": "2027-01-19", "days": 1, "calendar_days": 1}
    assert (ga["target"], len(ga["items"]), ga["deadline"]) == (6, 6, "2027-01-22")
    assert ga["when"]["50"]["date"] == "2027-01-21"
    assert ga["on_time"] == 1
    assert alpha["on_time"] is None


def test_split_rate_grows_the_work(tmp_path: Path) -> None:
    data = json_of(plan_file(tmp_path), "--split-rate", "1", "--seed", "4")
    # 6 items + Poisson(6) splits at 2 a day: P50 of the total is 6 + 6 = 12, 6 days
    assert data["split_rate"] == 1
    assert 5 <= data["when"]["50"]["days"] <= 7
    assert data["when"]["95"]["days"] > data["when"]["50"]["days"]


def test_from_window_and_since(tmp_path: Path) -> None:
    plan = plan_file(tmp_path, backlog_plan(status_date=None))
    # no status date: the history ends with its last item (Fri 15); the forecast starts on
    # the next working day, Tue 19
    assert json_of(plan, "--seed", "1")["start"] == "2027-01-19"
    data = json_of(plan, "--from", "2027-01-20", "--window", "7", "--seed", "1")
    # history up to Tue 19, its last 7 calendar days: Wed 13 to Tue 19, whose working days
    # are Wed 13, Thu 14, Fri 15 (2 items each) and Tue 19 (none; Mon 18 is a holiday)
    assert data["start"] == "2027-01-20"
    assert (data["history"]["from"], data["history"]["to"]) == ("2027-01-13", "2027-01-19")
    assert (data["history"]["samples"], data["history"]["finished_items"]) == (4, 6)
    # a forecast from Tue 12 cannot use items finished from then on: an error, located
    result = run(plan, "--from", "2027-01-12", "--since", "2027-01-11")
    assert result.exit_code == 3
    assert "error history.future_date [tasks[16].history[1].at]: task 'd17'" in result.stderr
    since = json_of(plan, "--since", "2027-01-11", "--seed", "1")
    assert since["history"]["from"] == "2027-01-11"
    assert since["history"]["samples"] == 5


def test_history_file(tmp_path: Path) -> None:
    plan = plan_file(tmp_path)
    history = tmp_path / "done.csv"
    # one item on Mon 4, Wed 6 and Fri 8 (and Sat 9, counted on Fri): 4 items in 5 days
    history.write_text("finished\n2027-01-04\n2027-01-06\n2027-01-08\n2027-01-09\n")
    data = json_of(plan, "--history", str(history), "--since", "2027-01-04", "--seed", "1")
    # the history runs to the status date (Fri 15): 10 working days sampled, 6 of them quiet
    assert data["history"]["source"] == str(history)
    assert (data["history"]["samples"], data["history"]["finished_items"]) == (10, 4)


def test_table(tmp_path: Path) -> None:
    plan = plan_file(tmp_path)
    result = run(plan, "--by", "2027-01-29", "--items", "6", "--milestones", "--seed", "1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Shop: forecast from Tue 2027-01-19, 10,000 runs (seed 1)" in out
    assert "History: 20 items finished from 2027-01-04 to 2027-01-15, 10 working days" in out
    assert "When will 6 items be done?" in out
    assert "Thu 2027-01-21" in out
    assert "How many items by Fri 2027-01-29 (9 working days)?" in out
    assert "Milestones (items done in dependency order)" in out


def test_the_same_seed_gives_the_same_forecast(tmp_path: Path) -> None:
    plan = str(ROOT / "examples" / "checkout-backlog.yaml")
    first = json_of(plan, "--seed", "11", "--milestones", "--items", "11")
    assert first == json_of(plan, "--seed", "11", "--milestones", "--items", "11")
    # each forecast has its own random stream: asking for more does not change it
    alone = json_of(plan, "--seed", "11", "--items", "11")
    assert alone["when"] == first["when"]
    days = [first["when"][c]["days"] for c in ("50", "70", "85", "95")]
    assert days == sorted(days)
    beta, ga = first["milestones"]
    assert beta["target"] <= ga["target"]
    assert all(beta["when"][c]["days"] <= ga["when"][c]["days"] for c in ("50", "85", "95"))
    assert isinstance(json_of(plan)["seed"], int)  # chosen and reported when not given


def test_errors(tmp_path: Path) -> None:
    plan = plan_file(tmp_path)
    both = run(plan, "--window", "10", "--since", "2027-01-04")
    assert both.exit_code == 2
    assert "--window or --since" in both.output
    assert run(plan, "--format", "csv").stdout.startswith("question,items,by,confidence")
    early = run(plan, "--by", "2027-01-18")  # a holiday, the day before the start
    assert early.exit_code == 1
    assert "error forecast.no_time: 2027-01-18 is before the forecast's first" in early.stderr
    late = run(plan, "--since", "2027-01-16")  # after the status date
    assert late.exit_code == 3
    assert "error history.empty_window" in late.stderr
    assert "would start on 2027-01-16, after the history ends (2027-01-15" in late.stderr
    quiet = run(plan, "--from", "2027-01-21", "--window", "2")  # Tue 19, Wed 20: nothing done
    assert quiet.exit_code == 3
    assert "no item finished between 2027-01-19 and 2027-01-20" in quiet.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("finished\n2027-01-04\nlater\n2027-02-01\n")
    result = run(plan, "--history", str(bad))
    assert result.exit_code == 3
    assert f"{bad}:3:1: error history.bad_date [finished]: row 3: 'later'" in result.stderr
    assert f"{bad}:4:1: error history.future_date [finished]: row 4" in result.stderr
    assert "Traceback" not in result.output


def test_a_plan_without_finished_items(tmp_path: Path) -> None:
    plan = plan_file(
        tmp_path,
        "project: {name: P, start: 2027-01-04}\ntasks:\n  - {id: a, name: A, duration: 1d}\n",
    )
    result = run(plan)
    assert result.exit_code == 3
    assert "error history.no_finished" in result.stderr
    done = plan_file(
        tmp_path,
        "project: {name: P, start: 2027-01-04}\ntasks:\n"
        "  - {id: a, name: A, duration: 1d, status: done,"
        " history: [{at: 2027-01-05T10:00, to: done}]}\n",
    )
    result = run(done)
    assert result.exit_code == 1
    assert "error forecast.nothing_left" in result.stderr
    assert json_of(done, "--items", "3", "--seed", "1")["when"]["50"]["days"] == 3
