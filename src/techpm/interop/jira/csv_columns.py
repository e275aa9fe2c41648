"""The column names of a Jira CSV export in the languages Jira exports in, and the month
names of its dates: Jira writes its headers (and `dd/MMM/yy` dates) in the exporting
user's language, so a French export says `Résumé` and `Clé de ticket`, a German one
`Zusammenfassung` and `Vorgangsschlüssel`.

Names are compared folded: lower case, accents dropped, spaces squeezed, so that `État`,
`Etat` and `ETAT` are one name. Jira's own translations changed over the years ("demande"
became "ticket" in French, "issue" became "work item" in English Cloud); both are listed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence

_SPACES = re.compile(r"\s+")
_KEY = re.compile(r"[A-Z][A-Z0-9_]+-\d+")
MIN_COLUMNS = 5  # even a "current fields" export has more
# what a column carries -> its names ("a | b"): English, French, German, Spanish,
# Portuguese, Italian, Japanese
_NAMES: dict[str, tuple[str, ...]] = {
    "key": (
        "Issue key | Key | Work item key | Clé de ticket | Clé de la demande | Clé de demande",
        "Clé du ticket | Clé | Vorgangsschlüssel | Schlüssel | Clave de incidencia",
        "Clave de la incidencia | Clave de ticket | Clave | Chave do item | Chave da issue",
        "Chave do problema | Chave do ticket | Chave | Chiave ticket | Chiave del ticket",
        "Chiave segnalazione | Chiave | 課題キー | キー | 作業項目キー",
    ),
    "id": (
        "Issue id | Work item id | ID de ticket | Id de ticket | ID de la demande",
        "ID de demande | ID du ticket | Vorgangs-ID | Vorgangs-Id | Vorgangs ID",
        "Id. de incidencia | ID de incidencia | Id de incidencia | ID de ticket | ID do item",
        "ID da issue | ID do problema | ID do ticket | ID ticket | ID del ticket",
        "ID segnalazione | 課題 ID | 課題ID | 作業項目 ID",
    ),
    "summary": ("Summary | Résumé | Zusammenfassung | Resumen | Resumo | Riepilogo | 要約",),
    "type": (
        "Issue Type | Work type | Work item type | Type de ticket | Type de demande",
        "Type de la demande | Type de tâche | Vorgangstyp | Arbeitstyp | Tipo de incidencia",
        "Tipo de ticket | Tipo de trabajo | Tipo de item | Tipo de issue | Tipo de problema",
        "Tipo do item | Tipo di ticket | Tipo ticket | Tipo segnalazione",
        "Tipo di segnalazione | 課題タイプ | 作業タイプ",
    ),
    "status": ("Status | État | Statut | Estado | Situação | Stato | ステータス",),
    "priority": ("Priority | Priorité | Priorität | Prioridad | Prioridade | Priorità | 優先度",),
    "project": (
        "Project name | Nom du projet | Projektname | Nombre del proyecto | Nome do projeto",
        "Nome progetto | Nome del progetto | プロジェクト名",
    ),
    "project_key": (
        "Project key | Clé du projet | Clé de projet | Projektschlüssel | Clave del proyecto",
        "Clave de proyecto | Chave do projeto | Chiave progetto | Chiave del progetto",
        "プロジェクト キー | プロジェクトキー",
    ),
    "assignee": (
        "Assignee | Responsable | Personne assignée | Bearbeiter | Zugewiesene Person",
        "Persona asignada | Asignado | Responsável | Pessoa atribuída | Assegnatario",
        "Assegnatario del ticket | 担当者",
    ),
    "assignee_id": (
        "Assignee Id | ID du responsable | Bearbeiter-ID | ID del responsable",
        "ID do responsável | ID assegnatario | 担当者 ID",
    ),
    "parent": (
        "Parent id | Parent | Parent key | ID parent | Id parent | Parent ID | Ticket parent",
        "Übergeordnete ID | Übergeordnet | Übergeordneter Vorgang | Id. principal",
        "ID principal | Principal | ID del principal | Elemento principal | ID do pai | Pai",
        "ID principal do item | ID padre | Padre | ID elemento padre | Elemento padre | 親 ID",
        "親ID | 親",
    ),
    "epic": (
        "Epic Link | Lien d'epic | Lien d’epic | Lien de l'epic | Epic-Verknüpfung",
        "Epic-Link | Enlace de epic | Enlace al epic | Link do épico | Link épico",
        "Collegamento epic | Link epic | エピックリンク",
    ),
    "estimate": (
        "Original Estimate | Estimation originale | Estimation initiale",
        "Ursprüngliche Schätzung | Estimación original | Estimativa original",
        "Stima originale | 初期見積もり | 初期見積り",
    ),
    "estimate_sum": (
        "Σ Original Estimate | Σ Estimation originale | Σ Estimation initiale",
        "Σ Ursprüngliche Schätzung | Σ Estimación original | Σ Estimativa original",
        "Σ Stima originale | Σ 初期見積もり | Σ 初期見積り",
    ),
    "points": (
        "Story Points | Story point estimate | Points de story | Estimation des points",
        "Story-Points | Puntos de historia | Pontos da história | Punti storia",
        "ストーリーポイント | ストーリーポイントの見積もり",
    ),
    "sprint": ("Sprint | スプリント",),
    "version": (
        "Fix Version/s | Fix versions | Fix version | Version(s) corrigée(s)",
        "Versions corrigées | Version corrigée | Lösungsversion/en | Lösungsversion(en)",
        "Lösungsversionen | Lösungsversion | Versión/es de corrección",
        "Versiones de corrección | Versión de corrección | Versão(ões) de correção",
        "Versões corrigidas | Versão corrigida | Versioni correzione | Versione/i correzione",
        "Versione correzione | 修正バージョン",
    ),
    "label": ("Labels | Étiquettes | Stichwörter | Etiquetas | Rótulos | Etichette | ラベル",),
    "component": (
        "Component/s | Components | Composant(s) | Composants | Komponente/n | Komponenten",
        "Componente/s | Componentes | Componente(s) | Componenti | Componente/i | コンポーネント",
    ),
    "due": (
        "Due Date | Due | Date d'échéance | Date d’échéance | Échéance | Fälligkeitsdatum",
        "Fällig | Fecha de vencimiento | Fecha límite | Vencimiento | Data de vencimento",
        "Data limite | Data di scadenza | Scadenza | 期限 | 期日",
    ),
    "description": ("Description | Beschreibung | Descripción | Descrição | Descrizione | 説明",),
    "created": (
        "Created | Création | Date de création | Créé | Créée | Erstellt | Creada | Creado",
        "Fecha de creación | Criado | Data de criação | Creato | Data di creazione | 作成日",
        "作成日時",
    ),
    "updated": (
        "Updated | Mise à jour | Mis à jour | Date de mise à jour | Aktualisiert",
        "Actualizada | Actualizado | Fecha de actualización | Atualizado",
        "Data de atualização | Aggiornato | Data di aggiornamento | 更新日 | 更新日時",
    ),
    "resolved": (
        "Resolved | Résolue | Résolu | Date de résolution | Erledigt | Gelöst | Resuelta",
        "Resuelto | Fecha de resolución | Resolvido | Data de resolução | Risolto",
        "Data di risoluzione | 解決日 | 解決日時",
    ),
    "blocks": ("Outward issue link (Blocks)",),
    "blocked_by": ("Inward issue link (Blocks)",),
    "target_start": (
        "Target start | Début cible | Zielstart | Inicio objetivo | Início desejado",
        "Inizio target | 目標開始",
    ),
    "target_end": (
        "Target end | Fin cible | Zielende | Fin objetivo | Término desejado | Fine target",
        "目標終了",
    ),
}
# "Custom field (Story Points)" in each language: the inner name is looked up as above
_CUSTOM = re.compile(
    r"^(?:custom field|champ personnalise|benutzerdefiniertes feld|campo personalizado|"
    r"campo personalizzato|カスタムフィールド)\s*\((.*)\)$"
)
# month abbreviations of `dd/MMM/yy` dates, folded, in the same languages
_MONTHS: tuple[tuple[str, ...], ...] = (
    ("jan", "janv", "janvier", "januar", "jan.", "ene", "enero", "gen", "gennaio", "jänner"),
    ("feb", "fevr", "fevrier", "februar", "fev", "fevereiro", "febrero", "febbraio"),
    ("mar", "mars", "marz", "maerz", "marzo", "marco", "mrz"),
    ("apr", "avr", "avril", "april", "abr", "abril", "aprile"),
    ("may", "mai", "mayo", "maio", "mag", "maggio"),
    ("jun", "juin", "juni", "junio", "junho", "giu", "giugno"),
    ("jul", "juil", "juillet", "juli", "julio", "julho", "lug", "luglio"),
    ("aug", "aout", "august", "ago", "agosto"),
    ("sep", "sept", "septembre", "september", "set", "setembro", "septiembre", "settembre"),
    ("oct", "octobre", "okt", "oktober", "octubre", "out", "outubro", "ott", "ottobre"),
    ("nov", "novembre", "november", "noviembre", "novembro"),
    ("dec", "decembre", "dez", "dezember", "dic", "diciembre", "dezembro", "dicembre"),
)


def fold(name: str) -> str:
    """A header as compared: lower case, accents dropped, spaces squeezed, quotes plain."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACES.sub(" ", text).strip().lower()


COLUMNS: dict[str, str] = {
    fold(name): kind
    for kind, lines in _NAMES.items()
    for line in lines
    for name in line.split(" | ")
}
MONTHS: dict[str, int] = {
    fold(name).rstrip("."): month for month, names in enumerate(_MONTHS, start=1) for name in names
}
MONTHS.update({f"{n}月": n for n in range(1, 13)})


def column_kind(name: str) -> str | None:
    """What a column carries (`key`, `summary` ...), or None; "Custom field (X)" in any
    of the languages is looked up by X."""
    text = fold(name)
    custom = _CUSTOM.match(text)
    return COLUMNS.get(custom.group(1).strip() if custom else text)


def is_link_column(name: str) -> bool:
    """An issue link column of a kind other than blocks ("Outward issue link (Relates)")."""
    return "issue link (" in fold(name)


def looks_like_jira(header: Iterable[str]) -> bool:
    """A Jira export has an issue key or issue id column and at least one other column
    Jira writes (summary, type, status ...), whatever its language."""
    kinds = {column_kind(name) for name in header}
    return bool({"key", "id"} & kinds) and len(kinds - {None, "key", "id"}) >= 1


def by_values(header: Sequence[str], rows: Sequence[Sequence[str]]) -> dict[str, int]:
    """Jira's key, id and summary columns found by what they hold, for headers in a
    language not listed above: a column of issue keys (`PAY-12`), the column of numbers
    Jira writes right after it (the issue id), and the summary, which Jira writes first.
    Empty when the rows do not look like a Jira export."""
    sample = [row for row in rows[:50] if any(cell.strip() for cell in row)]
    if not sample or len(header) < MIN_COLUMNS:
        return {}

    def column(test: Callable[[str], bool], index: int) -> bool:
        cells = [row[index].strip() for row in sample if index < len(row)]
        return bool(cells) and all(cells) and all(test(cell) for cell in cells)

    for index in range(len(header) - 1):
        if column(_is_key, index) and column(str.isdigit, index + 1):
            found = {"key": index, "id": index + 1}
            if index > 0:
                found["summary"] = 0
            return found
    return {}


def _is_key(cell: str) -> bool:
    return _KEY.fullmatch(cell) is not None


def month_number(text: str) -> int | None:
    return MONTHS.get(fold(text).rstrip("."))
