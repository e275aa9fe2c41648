"""ORM rows of the plan model, one module per noun; importing this registers every table."""

from techpm.persistence.rows.accounts import ApiTokenRow, UserRow
from techpm.persistence.rows.base import Base
from techpm.persistence.rows.calendars import CalendarExceptionRow, CalendarRow, HolidayRuleRow
from techpm.persistence.rows.project import PlanPartRow, ProjectRow
from techpm.persistence.rows.raci import RaciEntryRow, RaciPartyRow
from techpm.persistence.rows.register import RiskRow, StakeholderRow
from techpm.persistence.rows.resources import ResourceRow, ResourceSkillRow
from techpm.persistence.rows.server import (
    BaselineRow,
    ChangeSetRow,
    ComputedResultRow,
    EarnedValueRecordRow,
    EventRow,
    FieldChangeRow,
    JobRow,
    MembershipRow,
    WebSessionRow,
)
from techpm.persistence.rows.tasks import AssignmentRow, DependencyRow, SkillNeedRow, TaskRow

__all__ = [
    "ApiTokenRow",
    "AssignmentRow",
    "Base",
    "BaselineRow",
    "CalendarExceptionRow",
    "CalendarRow",
    "ChangeSetRow",
    "ComputedResultRow",
    "DependencyRow",
    "EarnedValueRecordRow",
    "EventRow",
    "FieldChangeRow",
    "HolidayRuleRow",
    "JobRow",
    "MembershipRow",
    "PlanPartRow",
    "ProjectRow",
    "RaciEntryRow",
    "RaciPartyRow",
    "ResourceRow",
    "ResourceSkillRow",
    "RiskRow",
    "SkillNeedRow",
    "StakeholderRow",
    "TaskRow",
    "UserRow",
    "WebSessionRow",
]
