"""Jira: CSV exports and REST search results in, a CSV for Jira's importer out.

`issues.py` holds the one mapping from issues to plan tasks; the readers only take values
out of their format, so an issue means the same plan however it arrives.
"""

from techpm.interop.jira.csv_reader import read_jira_csv
from techpm.interop.jira.csv_writer import write_jira_csv
from techpm.interop.jira.json_reader import from_issues, read_jira_json
from techpm.interop.jira.rest import pull_jira

__all__ = ["from_issues", "pull_jira", "read_jira_csv", "read_jira_json", "write_jira_csv"]
