"""A team's workflow: the states a backlog item moves through, and which of them mean
started, waiting or finished, so that flow metrics can be read off the history."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_STATES = ("todo", "in progress", "review", "done")


@dataclass(frozen=True)
class Workflow:
    states: tuple[str, ...] = DEFAULT_STATES  # in order, first the backlog, last done
    done: tuple[str, ...] = ()  # finished states (default: the last state)
    active: tuple[str, ...] = ()  # work under way (default: between the first and done)
    blocked: tuple[str, ...] = ()  # waiting, though started: not counted as active work

    @property
    def done_states(self) -> frozenset[str]:
        return frozenset(self.done or self.states[-1:])

    @property
    def started_states(self) -> frozenset[str]:
        """States of an item that has been started: from the first active state on when the
        workflow names its active states (queues such as "ready" come before it), else
        every state after the backlog's; never a done state."""
        first = min((self.rank(s) for s in self.active if self.knows(s)), default=1)
        return frozenset(s for s in self.states[max(first, 1) :] if s not in self.done_states)

    @property
    def active_states(self) -> frozenset[str]:
        """States in which work is being done (for flow efficiency)."""
        if self.active:
            return frozenset(self.active)
        return self.started_states - frozenset(self.blocked)

    def knows(self, state: str) -> bool:
        return state in self.states

    def rank(self, state: str) -> int:
        """Position in the workflow, for cumulative flow (unknown states go first)."""
        return self.states.index(state) if state in self.states else -1
