"""Plan model tables

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "projects",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.Column("calendar", sa.String(length=200), nullable=False),
        sa.Column("currency", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("manager", sa.String(length=500), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("contingency", sa.String(length=40), nullable=False),
        sa.Column("management_reserve", sa.String(length=40), nullable=False),
        sa.Column("status_date_on", sa.Date(), nullable=True),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("prioritization", sa.String(length=40), nullable=False),
        sa.Column("status_rules", sa.JSON(), nullable=False),
        sa.Column("level", sa.Boolean(), nullable=False),
        sa.Column("risk_matrix", sa.JSON(), nullable=False),
        sa.Column("minutes_per_day", sa.Integer(), nullable=False),
        sa.Column("days_per_week", sa.Integer(), nullable=False),
        sa.Column("days_per_month", sa.Integer(), nullable=False),
        sa.Column("decisions", sa.JSON(), nullable=False),
        sa.Column("asks", sa.JSON(), nullable=False),
        sa.Column("workflow", sa.JSON(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("key", name=op.f("uq_projects_key")),
    )
    op.create_table(
        "calendars",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("base", sa.String(length=200), nullable=True),
        sa.Column("week", sa.JSON(), nullable=True),
        sa.Column("working_hours", sa.JSON(), nullable=True),
        sa.Column("holidays_inherited", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_calendars_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendars")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_calendars_project_id_key")),
    )
    with op.batch_alter_table("calendars", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendars_project_id"), ["project_id"], unique=False)

    op.create_table(
        "plan_parts",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_plan_parts_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_parts")),
        sa.UniqueConstraint(
            "project_id", "kind", "position", name=op.f("uq_plan_parts_project_id_kind_position")
        ),
    )
    with op.batch_alter_table("plan_parts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_parts_project_id"), ["project_id"], unique=False)

    op.create_table(
        "resources",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("capacity", sa.Float(), nullable=False),
        sa.Column("calendar", sa.String(length=200), nullable=True),
        sa.Column("vacations", sa.JSON(), nullable=False),
        sa.Column("rate", sa.JSON(), nullable=True),
        sa.Column("max_allocation", sa.Float(), nullable=False),
        sa.Column("email", sa.String(length=500), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("refs", sa.JSON(), nullable=False),
        sa.Column("rate_changes", sa.JSON(), nullable=False),
        sa.Column("cost_account", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_resources_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_resources_project_id_key")),
    )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_resources_project_id"), ["project_id"], unique=False)

    op.create_table(
        "risks",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("delays", sa.JSON(), nullable=False),
        sa.Column("cost", sa.JSON(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category", sa.String(length=500), nullable=True),
        sa.Column("owner", sa.String(length=500), nullable=True),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("trigger", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=40), nullable=False),
        sa.Column("review_dates", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_risks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risks")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_risks_project_id_key")),
    )
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risks_project_id"), ["project_id"], unique=False)

    op.create_table(
        "stakeholders",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("role", sa.String(length=500), nullable=True),
        sa.Column("organisation", sa.String(length=500), nullable=True),
        sa.Column("interest", sa.Integer(), nullable=False),
        sa.Column("influence", sa.Integer(), nullable=False),
        sa.Column("expectations", sa.Text(), nullable=True),
        sa.Column("channel", sa.String(length=500), nullable=False),
        sa.Column("email", sa.String(length=500), nullable=True),
        sa.Column("frequency", sa.String(length=40), nullable=True),
        sa.Column("report", sa.String(length=40), nullable=True),
        sa.Column("external", sa.Boolean(), nullable=True),
        sa.Column("costs", sa.Boolean(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_stakeholders_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stakeholders")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_stakeholders_project_id_key")),
    )
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stakeholders_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "tasks",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("milestone", sa.Boolean(), nullable=False),
        sa.Column("calendar", sa.String(length=200), nullable=True),
        sa.Column("constraints", sa.JSON(), nullable=False),
        sa.Column("deadline", sa.JSON(), nullable=True),
        sa.Column("actual_start", sa.JSON(), nullable=True),
        sa.Column("actual_finish", sa.JSON(), nullable=True),
        sa.Column("percent_complete", sa.Float(), nullable=False),
        sa.Column("remaining_minutes", sa.Integer(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=500), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("effort_minutes", sa.Integer(), nullable=True),
        sa.Column("estimate", sa.JSON(), nullable=True),
        sa.Column("fixed_cost", sa.String(length=40), nullable=True),
        sa.Column("accrue", sa.String(length=40), nullable=False),
        sa.Column("cost_account", sa.String(length=500), nullable=True),
        sa.Column("actual_cost", sa.String(length=40), nullable=True),
        sa.Column("needs_items", sa.JSON(), nullable=False),
        sa.Column("control_account", sa.String(length=500), nullable=True),
        sa.Column("refs", sa.JSON(), nullable=False),
        sa.Column("issue_type", sa.String(length=500), nullable=True),
        sa.Column("points", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=500), nullable=True),
        sa.Column("sprint", sa.String(length=200), nullable=True),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["tasks.id"], name=op.f("fk_tasks_parent_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_tasks_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
        sa.UniqueConstraint("project_id", "key", name=op.f("uq_tasks_project_id_key")),
    )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tasks_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tasks_project_id"), ["project_id"], unique=False)

    op.create_table(
        "assignments",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("units", sa.Float(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_assignments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_assignments_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_assignments_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignments")),
    )
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assignments_project_id"), ["project_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assignments_resource_id"), ["resource_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assignments_task_id"), ["task_id"], unique=False)

    op.create_table(
        "calendar_exceptions",
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("day_on", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["calendars.id"],
            name=op.f("fk_calendar_exceptions_calendar_id_calendars"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_calendar_exceptions_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_exceptions")),
        sa.UniqueConstraint(
            "calendar_id",
            "day_on",
            "working",
            name=op.f("uq_calendar_exceptions_calendar_id_day_on_working"),
        ),
    )
    with op.batch_alter_table("calendar_exceptions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_exceptions_calendar_id"), ["calendar_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_calendar_exceptions_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "dependencies",
        sa.Column("predecessor_id", sa.Integer(), nullable=False),
        sa.Column("successor_id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("lag_minutes", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["predecessor_id"],
            ["tasks.id"],
            name=op.f("fk_dependencies_predecessor_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_dependencies_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["successor_id"],
            ["tasks.id"],
            name=op.f("fk_dependencies_successor_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dependencies")),
    )
    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dependencies_predecessor_id"), ["predecessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dependencies_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_dependencies_successor_id"), ["successor_id"], unique=False
        )

    op.create_table(
        "holiday_rules",
        sa.Column("calendar_id", sa.Integer(), nullable=False),
        sa.Column("country", sa.String(length=10), nullable=False),
        sa.Column("subdivision", sa.String(length=20), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["calendars.id"],
            name=op.f("fk_holiday_rules_calendar_id_calendars"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_holiday_rules_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_holiday_rules")),
    )
    with op.batch_alter_table("holiday_rules", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_holiday_rules_calendar_id"), ["calendar_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_holiday_rules_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "raci_entries",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_raci_entries_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_raci_entries_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raci_entries")),
    )
    with op.batch_alter_table("raci_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_raci_entries_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_raci_entries_task_id"), ["task_id"], unique=False)

    op.create_table(
        "resource_skills",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=500), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_resource_skills_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_skills_resource_id_resources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_skills")),
        sa.UniqueConstraint(
            "resource_id", "skill", name=op.f("uq_resource_skills_resource_id_skill")
        ),
    )
    with op.batch_alter_table("resource_skills", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_resource_skills_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_resource_skills_resource_id"), ["resource_id"], unique=False
        )

    op.create_table(
        "skill_needs",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("skill", sa.String(length=500), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("units", sa.Float(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_skill_needs_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_skill_needs_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_skill_needs")),
    )
    with op.batch_alter_table("skill_needs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_skill_needs_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_skill_needs_task_id"), ["task_id"], unique=False)

    op.create_table(
        "raci_parties",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("party", sa.String(length=500), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["raci_entries.id"],
            name=op.f("fk_raci_parties_entry_id_raci_entries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_raci_parties_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raci_parties")),
    )
    with op.batch_alter_table("raci_parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_raci_parties_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_raci_parties_project_id"), ["project_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("raci_parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raci_parties_project_id"))
        batch_op.drop_index(batch_op.f("ix_raci_parties_entry_id"))

    op.drop_table("raci_parties")
    with op.batch_alter_table("skill_needs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_skill_needs_task_id"))
        batch_op.drop_index(batch_op.f("ix_skill_needs_project_id"))

    op.drop_table("skill_needs")
    with op.batch_alter_table("resource_skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resource_skills_resource_id"))
        batch_op.drop_index(batch_op.f("ix_resource_skills_project_id"))

    op.drop_table("resource_skills")
    with op.batch_alter_table("raci_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_raci_entries_task_id"))
        batch_op.drop_index(batch_op.f("ix_raci_entries_project_id"))

    op.drop_table("raci_entries")
    with op.batch_alter_table("holiday_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_holiday_rules_project_id"))
        batch_op.drop_index(batch_op.f("ix_holiday_rules_calendar_id"))

    op.drop_table("holiday_rules")
    with op.batch_alter_table("dependencies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dependencies_successor_id"))
        batch_op.drop_index(batch_op.f("ix_dependencies_project_id"))
        batch_op.drop_index(batch_op.f("ix_dependencies_predecessor_id"))

    op.drop_table("dependencies")
    with op.batch_alter_table("calendar_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_exceptions_project_id"))
        batch_op.drop_index(batch_op.f("ix_calendar_exceptions_calendar_id"))

    op.drop_table("calendar_exceptions")
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assignments_task_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_resource_id"))
        batch_op.drop_index(batch_op.f("ix_assignments_project_id"))

    op.drop_table("assignments")
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_project_id"))
        batch_op.drop_index(batch_op.f("ix_tasks_parent_id"))

    op.drop_table("tasks")
    with op.batch_alter_table("stakeholders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholders_project_id"))

    op.drop_table("stakeholders")
    with op.batch_alter_table("risks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_risks_project_id"))

    op.drop_table("risks")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_resources_project_id"))

    op.drop_table("resources")
    with op.batch_alter_table("plan_parts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_parts_project_id"))

    op.drop_table("plan_parts")
    with op.batch_alter_table("calendars", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendars_project_id"))

    op.drop_table("calendars")
    op.drop_table("projects")
