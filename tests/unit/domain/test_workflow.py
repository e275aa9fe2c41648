"""What a workflow's states mean for flow metrics."""

from __future__ import annotations

from techpm.domain.workflow import Workflow


def test_defaults_take_the_last_state_as_done_and_the_rest_as_started() -> None:
    flow = Workflow(("todo", "doing", "review", "done"))
    assert flow.done_states == {"done"}
    assert flow.started_states == {"doing", "review"}
    assert flow.active_states == {"doing", "review"}


def test_a_queue_before_the_first_active_state_is_not_started() -> None:
    # "ready" is a queue: an item waiting there has not been started, so its cycle time
    # must not count the wait; "blocked" after the active states is started but not active
    flow = Workflow(
        ("backlog", "ready", "in progress", "review", "blocked", "done"),
        done=("done",),
        active=("in progress", "review"),
        blocked=("blocked",),
    )
    assert flow.started_states == {"in progress", "review", "blocked"}
    assert flow.active_states == {"in progress", "review"}
    assert flow.rank("ready") == 1
    assert flow.rank("nowhere") == -1
