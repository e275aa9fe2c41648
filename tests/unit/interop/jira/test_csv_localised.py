"""Jira CSV exports as people make them: headers in the exporting user's language, dates
with localised month names, and the same issue listed twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from techpm.cli.main import app
from techpm.interop.detect import detect_format
from techpm.interop.exchange import ImportFailed
from techpm.interop.jira.csv_reader import read_jira_csv

from .support import by_id, parents, validate

# one export, headers in each language Jira exports in: key, id, summary, type, status,
# priority, assignee, created, parent id, original estimate, due date, labels
HEADERS = {
    "en": "Issue key,Issue id,Summary,Issue Type,Status,Priority,Assignee,Created,Parent id,"
    "Original Estimate,Due Date,Labels",
    "fr": "Clé de ticket,ID de ticket,Résumé,Type de ticket,État,Priorité,Responsable,"
    "Date de création,ID parent,Estimation originale,Date d'échéance,Étiquettes",
    "fr-old": "Clé de la demande,ID de la demande,Résumé,Type de demande,Etat,Priorité,"
    "Responsable,Création,Parent id,Estimation originale,Échéance,Étiquettes",
    "de": "Vorgangsschlüssel,Vorgangs-ID,Zusammenfassung,Vorgangstyp,Status,Priorität,"
    "Bearbeiter,Erstellt,Übergeordnete ID,Ursprüngliche Schätzung,Fälligkeitsdatum,Stichwörter",
    "es": "Clave de incidencia,Id. de incidencia,Resumen,Tipo de incidencia,Estado,Prioridad,"
    "Responsable,Creada,Id. principal,Estimación original,Fecha de vencimiento,Etiquetas",
    "pt": "Chave do item,ID do item,Resumo,Tipo de item,Status,Prioridade,Responsável,Criado,"
    "ID do pai,Estimativa original,Data limite,Rótulos",
    "it": "Chiave ticket,ID ticket,Riepilogo,Tipo di ticket,Stato,Priorità,Assegnatario,Creato,"
    "ID padre,Stima originale,Data di scadenza,Etichette",
    "ja": "課題キー,課題 ID,要約,課題タイプ,ステータス,優先度,担当者,作成日,"
    "親 ID,初期見積もり,期限,ラベル",
}
# (priority word in that language, month of 4 January as the export writes it)
WORDS = {
    "en": ("High", "Jan"),
    "fr": ("Haute", "janv."),
    "fr-old": ("Haute", "janv."),
    "de": ("Hoch", "Jan"),
    "es": ("Alta", "ene"),
    "pt": ("Alta", "jan"),
    "it": ("Alta", "gen"),
    "ja": ("高", "1月"),
}


def export(tmp_path: Path, language: str, rows: list[str] | None = None) -> Path:
    high, january = WORDS[language]
    rows = rows or [
        f"PAY-1,101,Paiement,Epic,En cours,{high},,04/{january}/27 09:12,,,,",
        f"PAY-2,102,Formulaire carte,Story,Terminé,{high},Léa Martin,04/{january}/27 09:20,101,"
        f"57600,25/{january}/27 00:00,front",
        "PAY-3,103,Validation,Sub-task,À faire,,Léa Martin,,102,14400,,",
    ]
    path = tmp_path / f"jira-{language}.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([HEADERS[language], *rows]).encode())
    return path


@pytest.mark.parametrize("language", list(HEADERS))
def test_localised_headers_are_a_jira_export(tmp_path: Path, language: str) -> None:
    path = export(tmp_path, language)
    assert detect_format(path) == "jira-csv"
    result = read_jira_csv(path)
    tasks = by_id(result.document)
    assert set(tasks) == {"PAY-1", "PAY-2", "PAY-3"}
    assert parents(result.document) == {"PAY-1": None, "PAY-2": "PAY-1", "PAY-3": "PAY-2"}
    card = tasks["PAY-2"]
    assert card["name"] == "Formulaire carte"
    assert card["status"] == "Terminé"
    assert card["issue_type"] == "Story"
    assert card["priority"] == 700  # High in every language is 700 on techpm's scale
    assert card["deadline"] == date(2027, 1, 25)  # the localised month name read
    assert tasks["PAY-3"]["duration"] == "4h"  # 14400 s
    assert card["owner"] == "Léa Martin"  # a parent issue is owned, not worked
    assert [r["name"] for r in result.document["resources"]] == ["Léa Martin"]
    assert card["tags"] == ["front"]
    validate(result.document)


def test_a_french_export_imports_from_the_command_line(tmp_path: Path) -> None:
    path = export(tmp_path, "fr")
    disguised = tmp_path / "export.txt"
    disguised.write_bytes(path.read_bytes())
    runner = CliRunner()
    auto = runner.invoke(app, ["import", str(disguised), "-o", str(tmp_path / "a.yaml")])
    assert auto.exit_code == 0, auto.output
    assert "3 tasks" in auto.output
    forced = runner.invoke(
        app, ["import", str(disguised), "--from", "jira-csv", "-o", str(tmp_path / "b.yaml")]
    )
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "a.yaml").read_text().split("\n", 1)[1] == (
        tmp_path / "b.yaml"
    ).read_text().split("\n", 1)[1]


def test_the_same_issue_twice_is_kept_once_with_a_warning(tmp_path: Path) -> None:
    row = "PAY-2,102,Formulaire carte,Story,Terminé,Haute,,04/janv./27 09:20,,57600,,"
    path = export(tmp_path, "fr", ["PAY-1,101,Paiement,Task,En cours,,,,,,,", row, row])
    result = read_jira_csv(path)
    assert set(by_id(result.document)) == {"PAY-1", "PAY-2"}
    assert any(
        "1 issue listed twice with the same values, kept once: PAY-2 (line 3, line 4)" in note
        for note in result.skipped
    ), result.skipped
    validate(result.document)


def test_conflicting_duplicates_name_the_key_and_both_rows(tmp_path: Path) -> None:
    first = "PAY-2,102,Formulaire carte,Story,Terminé,Haute,,,,57600,,"
    second = "PAY-2,102,Formulaire carte,Story,En cours,Haute,,,,57600,,"
    path = export(tmp_path, "fr", ["PAY-1,101,Paiement,Task,En cours,,,,,,,", first, second])
    with pytest.raises(ImportFailed) as caught:
        read_jira_csv(path)
    assert caught.value.code == "import.duplicate_issue"
    assert str(caught.value) == (
        "jira-fr.csv: line 4: issue key PAY-2 appears twice (first at line 3) with different "
        "values: status"
    )


def test_a_csv_with_an_issue_key_and_nothing_else_of_jira_is_not_taken_for_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "list.csv"
    path.write_text("id,name,duration\na,A,1d\n", encoding="utf-8")
    assert detect_format(path) == "csv"
    lone = tmp_path / "lone.csv"
    lone.write_text("Issue key,Colour\nX-1,red\n", encoding="utf-8")
    with pytest.raises(ImportFailed):
        detect_format(lone)


def test_headers_in_another_language_are_read_by_their_values(tmp_path: Path) -> None:
    """Headers techpm has no names for (here Polish): the column of issue keys, the issue
    ids Jira writes right after it and the summary Jira writes first are found by what
    they hold; the rest is listed as not carried."""
    path = tmp_path / "jira-pl.csv"
    path.write_text(
        "Podsumowanie,Klucz zgłoszenia,Identyfikator zgłoszenia,Typ zgłoszenia,Stan,Osoba\n"
        "Płatności,PAY-1,101,Epic,W toku,Anna\n"
        "Formularz karty,PAY-2,102,Story,Gotowe,Anna\n",
        encoding="utf-8",
    )
    assert detect_format(path) == "jira-csv"
    result = read_jira_csv(path)
    tasks = by_id(result.document)
    assert {k: t["name"] for k, t in tasks.items()} == {
        "PAY-1": "Płatności",
        "PAY-2": "Formularz karty",
    }
    assert any(
        "headers in a language techpm does not know: read by their values (key 'Klucz "
        "zgłoszenia', id 'Identyfikator zgłoszenia', summary 'Podsumowanie')" in note
        for note in result.skipped
    ), result.skipped
    validate(result.document)
