"""Project-wide checks on the demo build: sqlfluff lint clean, every model and column documented, lineage from
raw files to segments in the generated docs, Great Expectations Data Docs written, README catalogue up to date."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO_DIR, PROJECT_ROOT, TARGET_DIR, Warehouse, dbt_vars, run_dbt


@pytest.fixture(scope="module")
def writable_demo(demo_warehouse: Warehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dbt opens its warehouse read-write: `docs generate` and the lint's templater get a copy of the demo build."""
    return demo_warehouse.copy_to(tmp_path_factory.mktemp("docs") / "warehouse.duckdb")


@pytest.fixture(scope="module")
def docs(writable_demo: Path) -> tuple[dict, dict]:
    run_dbt(["docs", "generate", "--vars", dbt_vars(DEMO_DIR)], env={"SEGMENTS_DUCKDB_PATH": str(writable_demo)})
    manifest = json.loads((TARGET_DIR / "manifest.json").read_text())
    catalog = json.loads((TARGET_DIR / "catalog.json").read_text())
    return manifest, catalog


def test_sqlfluff_lint_clean(writable_demo: Path) -> None:
    env = {**os.environ, "SEGMENTS_DUCKDB_PATH": str(writable_demo), "DBT_TARGET_PATH": str(TARGET_DIR / "lint")}
    sqlfluff = str(Path(sys.executable).with_name("sqlfluff"))
    process = subprocess.run([sqlfluff, "lint", "--processes", "2", "models", "tests/dbt"], cwd=PROJECT_ROOT, env=env,
                             capture_output=True, text=True, check=False)
    assert process.returncode == 0, process.stdout[-6000:] + process.stderr[-3000:]
    assert "Skipped file" not in process.stdout + process.stderr


def test_every_model_and_column_is_documented(docs) -> None:
    manifest, catalog = docs
    missing = []
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "seed") or node["package_name"] != "segments":
            continue
        if not node["description"].strip():
            missing.append(unique_id)
        documented = {name.lower() for name, column in node["columns"].items() if column["description"].strip()}
        for column in catalog["nodes"].get(unique_id, {}).get("columns", {}):
            if column.lower() not in documented:
                missing.append(f"{unique_id}.{column}")
    assert missing == []


def test_sources_have_freshness_and_a_primary_key_test(docs) -> None:
    manifest, _ = docs
    tested = {node.get("attached_node") or "" for node in manifest["nodes"].values() if node["resource_type"] == "test"}
    tested |= {dep for node in manifest["nodes"].values() if node["resource_type"] == "test"
               for dep in node["depends_on"]["nodes"] if dep.startswith("source.")}
    for unique_id, source in manifest["sources"].items():
        freshness = source.get("freshness") or {}
        assert freshness.get("warn_after", {}).get("count") or freshness.get("error_after", {}).get("count"), unique_id
        assert unique_id in tested, unique_id


def test_lineage_runs_from_raw_files_to_segments(docs) -> None:
    manifest, _ = docs
    parents = manifest["parent_map"]

    def ancestors(node: str) -> set[str]:
        seen, stack = set(), [node]
        while stack:
            for parent in parents.get(stack.pop(), []):
                if parent not in seen:
                    seen.add(parent)
                    stack.append(parent)
        return seen

    segment = "model.segments.seg_b2b_sme_decision_makers"
    lineage = ancestors(segment)
    assert {"source.segments.crm.companies", "source.segments.crm.contacts", "model.segments.dim_contacts",
            "model.segments.guard_file_checks", "model.segments.stg_crm__companies"} <= lineage
    exposures = manifest.get("exposures", {})
    assert exposures, "exposures declare what people consume"
    # the campaign tools: one exposure per tool, each fed by its export model, itself built from the segments
    tools = {name: exposure["depends_on"]["nodes"] for name, exposure in exposures.items()}
    assert tools["exposure.segments.brevo_import"] == ["model.segments.export_brevo"]
    assert tools["exposure.segments.mailchimp_import"] == ["model.segments.export_mailchimp"]
    assert tools["exposure.segments.segment_files"] == ["model.segments.export_segment_members"]
    for export in ("export_brevo", "export_mailchimp", "export_segment_members"):
        assert {"model.segments.segment_membership", "model.segments.dim_contacts",
                "source.segments.crm.contacts"} <= ancestors(f"model.segments.{export}"), export


def test_gx_data_docs_written(demo_warehouse: Warehouse) -> None:
    index = demo_warehouse.gx_data_docs_dir / "index.html"
    assert index.exists()
    validations = list((demo_warehouse.gx_data_docs_dir / "validations").rglob("*.html"))
    assert len(validations) >= 10


def test_readme_catalogue_lists_every_segment(demo_warehouse: Warehouse) -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    segments = [row[0] for row in demo_warehouse.query("select segment_name from segments.segment_catalog")]
    assert len(segments) >= 15
    assert [name for name in segments if f"`{name}`" not in readme] == []


def test_catalogue_matches_the_segment_views(demo_warehouse: Warehouse) -> None:
    catalogue = demo_warehouse.query(
        "select segment_name, audience, member_count, share_of_base, is_too_small from segments.segment_catalog")
    b2b = sum(1 for row in catalogue if row[1] == "b2b")
    assert b2b >= 8 and len(catalogue) - b2b >= 7
    for name, audience, members, share, too_small in catalogue:
        assert demo_warehouse.query(f"select count(*) from segments.{name}") == [(members,)], name
        assert members > 0, f"{name} is empty on the demo data"
        assert too_small == (members < 50)
        audience_filter = "" if audience == "all" else f" where customer_type = '{audience}'"
        base = demo_warehouse.query(f"select count(*) from marts.dim_contacts{audience_filter}")[0][0]
        assert share == pytest.approx(members / base)


def test_accepted_values_columns_reports_each_value_outside_its_set(demo_warehouse: Warehouse, tmp_path: Path) -> None:
    """One test node checks every categorical column of a model: on a copy of the demo build where two people get
    an `engagement_level` outside its set, one an `rfm_segment` outside its set and one an empty `engagement_level`
    (empty values pass), `accepted_values_dim_contacts` fails with one row per column and value, with their counts."""
    import duckdb

    path = demo_warehouse.copy_to(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(path)) as connection:
        ids = [row[0] for row in connection.execute(
            "select contact_id from marts.dim_contacts order by contact_id limit 4").fetchall()]
        connection.execute("update marts.dim_contacts set engagement_level = 'bogus' where contact_id in (?, ?)",
                           ids[:2])
        connection.execute("update marts.dim_contacts set rfm_segment = 'nowhere' where contact_id = ?", ids[2:3])
        connection.execute("update marts.dim_contacts set engagement_level = null where contact_id = ?", ids[3:])
    run = run_dbt(["test", "--select", "accepted_values_dim_contacts", "--store-failures", "--vars", dbt_vars(DEMO_DIR)],
                  env={"SEGMENTS_DUCKDB_PATH": str(path)}, check=False)
    assert run.returncode == 1 and "FAIL 2 accepted_values_dim_contacts" in run.output, run.output[-2000:]
    with duckdb.connect(str(path), read_only=True) as connection:
        [(schema,)] = connection.execute(
            "select table_schema from information_schema.tables where table_name = 'accepted_values_dim_contacts'"
        ).fetchall()
        rows = connection.execute(
            f"select column_name, value_found, n_records from {schema}.accepted_values_dim_contacts").fetchall()
    assert sorted(rows) == [("engagement_level", "bogus", 2), ("rfm_segment", "nowhere", 1)]
