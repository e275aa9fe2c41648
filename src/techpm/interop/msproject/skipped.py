"""What an MS Project file held that the plan does not carry, counted by kind and said in
words, so that nothing is lost silently."""

from __future__ import annotations

# kind -> (one, many, why or what became of them); "{names}" lists the first few subjects
_MESSAGES: dict[str, tuple[str, str, str]] = {
    "alap": (
        "as-late-as-possible task",
        "as-late-as-possible tasks",
        "(scheduled as soon as possible: techpm has no ALAP constraint)",
    ),
    "elapsed_lag": (
        "elapsed lag",
        "elapsed lags",
        "(taken as working time: an elapsed day as a working day)",
    ),
    "elapsed_duration": (
        "elapsed duration",
        "elapsed durations",
        "(taken as working time: an elapsed day as a working day)",
    ),
    "percent_lag": (
        "percentage lag",
        "percentage lags",
        "(turned into working time from the predecessor's duration)",
    ),
    "split": (
        "split task",
        "split tasks",
        "(scheduled in one piece: techpm does not split tasks)",
    ),
    "manual": (
        "manually scheduled task",
        "manually scheduled tasks",
        "(techpm schedules them from their links and constraints)",
    ),
    "inactive": (
        "inactive task",
        "inactive tasks",
        "(tagged 'inactive'; techpm schedules them like any other)",
    ),
    "milestone_duration": (
        "milestone with a duration",
        "milestones with a duration",
        "(taken as zero-length: a techpm milestone takes no time)",
    ),
    "cross_project": (
        "link to another project",
        "links to other projects",
        "(techpm links tasks within one plan)",
    ),
    "summary_start": (
        "SS/SF link from a summary task",
        "SS/SF links from summary tasks",
        "(moved to the task in the summary that starts first: techpm links from the work)",
    ),
    "bad_link": (
        "link between a summary and its own subtasks",
        "links between a summary and its own subtasks",
        "(a task cannot depend on its own summary or subtasks)",
    ),
    "duplicate_link": ("repeated link", "repeated links", "(kept once)"),
    "summary_link_to_project": (
        "link to the project summary task",
        "links to the project summary task",
        "(the project is not a task in techpm)",
    ),
    "material": (
        "material resource",
        "material resources",
        "(kept as equipment tagged 'material'; their assignments book no time)",
    ),
    "cost_resource": (
        "cost resource",
        "cost resources",
        "(kept as equipment tagged 'cost'; their assignments book no time)",
    ),
    "consumable_assignment": (
        "material or cost assignment",
        "material or cost assignments",
        "(their cost is added to the task's fixed cost)",
    ),
    "overtime_rate": ("overtime rate", "overtime rates", "(techpm has no overtime)"),
    "cost_per_use": ("cost per use", "costs per use", "(techpm has no cost per use)"),
    "rate_tables": (
        "resource with cost rate tables B to E",
        "resources with cost rate tables B to E",
        "(only table A is kept)",
    ),
    "availability": (
        "resource with changing availability",
        "resources with changing availability",
        "(given their max units throughout)",
    ),
    "units_clamped": (
        "assignment above the resource's max units",
        "assignments above the resource's max units",
        "(reduced to the max units)",
    ),
    "zero_units": ("assignment with no units", "assignments with no units", "(dropped)"),
    "duplicate_assignment": (
        "repeated assignment of a resource to a task",
        "repeated assignments of a resource to a task",
        "(merged into one, units added up)",
    ),
    "contour": ("work contour", "work contours", "(taken as flat)"),
    "leveling_delay": (
        "leveling delay",
        "leveling delays",
        "(techpm levels with `schedule --level`)",
    ),
    "custom_fields": (
        "custom field value",
        "custom field values",
        "(extended attributes and outline codes)",
    ),
    "resource_notes": ("resource note", "resource notes", "(resources have no notes)"),
    "external": (
        "inserted project or external task",
        "inserted projects or external tasks",
        "(imported as ordinary tasks)",
    ),
    "exception_hours": (
        "calendar exception day with its own hours",
        "calendar exception days with their own hours",
        "(given the calendar's most common exception hours)",
    ),
    "long_work_week": ("work week", "work weeks", "(cut to 200 years)"),
    "finish_without_start": (
        "actual finish without an actual start",
        "actual finishes without an actual start",
        "(the task's start taken as its actual start)",
    ),
    "summary_calendar": (
        "calendar on a summary task",
        "calendars on summary tasks",
        "(dropped: MS Project does not pass it to the subtasks, techpm would)",
    ),
    "resource_calendar": (
        "task worked on its resources' calendar",
        "tasks worked on their resources' calendar",
        "(given that calendar: MS Project schedules assigned work on the resource's calendar)",
    ),
}


class Skipped:
    def __init__(self) -> None:
        self._seen: dict[str, list[str]] = {}
        self._said: list[str] = []

    def add(self, kind: str, subject: str) -> None:
        self._seen.setdefault(kind, []).append(subject)

    def discard(self, kind: str, subject: str) -> None:
        """Take back a remark: what it said was lost turned out to be carried."""
        subjects = self._seen.get(kind, [])
        if subject in subjects:
            subjects.remove(subject)
            if not subjects:
                del self._seen[kind]

    def say(self, text: str) -> None:
        """A remark about the file as a whole."""
        if text not in self._said:
            self._said.append(text)

    def messages(self) -> tuple[str, ...]:
        out = list(self._said)
        for kind, subjects in self._seen.items():
            one, many, what = _MESSAGES[kind]
            names = list(dict.fromkeys(subjects))
            shown = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            noun = one if len(subjects) == 1 else many
            out.append(f"{len(subjects)} {noun} {what}: {shown}")
        return tuple(out)
