"""The raw export contract, read from the dbt sources file (the single source of truth).

`models/staging/crm/_crm__sources.yml` declares every export file with its columns, the type staging parses each
column into (`meta.cast_to`), required columns (`meta.required`), the file's key and whether the file is required,
and how a GDPR erasure reaches its rows (`meta.erasure`, segwarehouse/erasure.py).
The categorical labels the warehouse accepts live in the seed `seeds/ref_accepted_labels.csv`.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCES_YML = PROJECT_ROOT / "models" / "staging" / "crm" / "_crm__sources.yml"
ACCEPTED_LABELS_CSV = PROJECT_ROOT / "seeds" / "ref_accepted_labels.csv"


@dataclass(frozen=True)
class Column:
    name: str
    cast_to: str
    required: bool


@dataclass(frozen=True)
class ExportFile:
    name: str
    file: str
    key: tuple[str, ...]
    required_file: bool
    columns: tuple[Column, ...]
    # meta.erasure: {match: [identifier columns], same_person, keep_for_account, register}; empty when the file holds
    # nobody's identifiers (docs/DESIGN.md, "GDPR erasure")
    erasure: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [column.name for column in self.columns if column.required]


def load_contract(path: Path = SOURCES_YML) -> dict[str, ExportFile]:
    """Every export file of the contract, by table name, in the order of the sources file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    source = next(s for s in document["sources"] if s["name"] == "crm")
    files: dict[str, ExportFile] = {}
    for table in source["tables"]:
        meta = table["meta"]
        columns = tuple(
            Column(
                name=column["name"],
                cast_to=column.get("meta", {}).get("cast_to", "varchar"),
                required=bool(column.get("meta", {}).get("required", False)),
            )
            for column in table["columns"]
        )
        files[table["name"]] = ExportFile(
            name=table["name"],
            file=meta["file"],
            key=tuple(meta["key"]),
            required_file=bool(meta["required_file"]),
            columns=columns,
            erasure=dict(meta.get("erasure") or {}),
        )
    return files


def accepted_labels(path: Path = ACCEPTED_LABELS_CSV) -> dict[str, dict[str, dict[str, str]]]:
    """{table: {column: {folded label: canonical value}}} from the seed."""
    labels: dict[str, dict[str, dict[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            labels.setdefault(row["source_table"], {}).setdefault(row["column_name"], {})[row["label"]] = row[
                "canonical_value"
            ]
    return labels
