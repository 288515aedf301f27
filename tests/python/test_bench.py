"""segwarehouse.bench: the results table and the README section it writes."""
from pathlib import Path

from segwarehouse.bench import END, START, build_command, render, update_readme

RESULTS = {
    "scale": "bench",
    "measured_at": "2026-11-22",
    "machine": "2 cores, 24 GiB, Linux x86_64",
    "raw_bytes": 3_050_000_000,
    "demo_raw_bytes": 4_260_000,
    "rows": {"orders.csv": 5_000_070, "email_events.csv": 20_000_060},
    "appended_rows": 109_638,
    "nodes": 1020,
    "phases": [
        {"name": "floor", "wall_seconds": 16.0, "peak_rss_mib": 384, "returncode": 0},
        {"name": "full_build", "wall_seconds": 480.0, "peak_rss_mib": 7168, "returncode": 0, "cpu_seconds": 864.0},
        {"name": "append_day", "wall_seconds": 23.3, "peak_rss_mib": 500, "returncode": 0},
        {"name": "incremental_build", "wall_seconds": 120.0, "peak_rss_mib": 4096, "returncode": 0,
         "cpu_seconds": 210.0},
        {"name": "unchanged_build", "wall_seconds": 96.0, "peak_rss_mib": 3072, "returncode": 0,
         "cpu_seconds": 150.5},
        {"name": "demo_full_build", "wall_seconds": 90.0, "peak_rss_mib": 900, "returncode": 0, "cpu_seconds": 99.0},
        {"name": "demo_unchanged_build", "wall_seconds": 48.0, "peak_rss_mib": 800, "returncode": 0,
         "cpu_seconds": 52.8},
    ],
}


def test_render_reports_each_phase_against_the_floor_and_the_full_build():
    text = render(RESULTS)
    assert "3.05 GB of CSV: 5,000,070 orders, 20,000,060 email_events" in text
    assert "| floor: DuckDB reads every raw file once | 0 min 16.0 s | 1.0 | - | 0.38 GiB |" in text
    assert "| full `dbt build` | 8 min 00.0 s | 30.0 | 864 s (1.80) | 7.00 GiB |" in text
    assert "| incremental `dbt build` after one more day | 2 min 00.0 s | 7.5 | 210 s (1.75) | 4.00 GiB |" in text
    assert "| `dbt build` again, no new data | 1 min 36.0 s | 6.0 | 150 s (1.57) | 3.00 GiB |" in text
    assert "cores busy = CPU time / wall time" in text
    assert ("| the same on the demo exports, no new data (fixed cost) | 0 min 48.0 s | 3.0 | 53 s (1.10) | 0.78 GiB |"
            in text)
    assert ("The same nodes on the demo exports (4.3 MB of CSV) take 48.0 s with no new data (10.0% of the full build"
            in text)
    assert "plus the demo's small data work, so an upper bound" in text
    assert "the incremental run's work on the data is 16.7% of the full build's (72.0 s against 432.0 s)" in text
    assert "demo_full_build" not in text
    assert "Incremental run: 25.0% of the full build (goal: under 15%)" in text
    assert "Appending the day (109,638 rows) took 23.3 s" in text
    assert "takes 96.0 s (20.0% of the full build, 1020 dbt nodes)" in text


def test_render_reads_results_written_before_the_unchanged_build_was_measured():
    newer_phases = ("unchanged_build", "demo_full_build", "demo_unchanged_build")
    older = {**RESULTS, "phases": [p for p in RESULTS["phases"] if p["name"] not in newer_phases]}
    del older["nodes"]
    text = render(older)
    assert "no new data" not in text
    assert "fixed cost" not in text
    assert "Incremental run: 25.0% of the full build" in text


def test_render_reads_results_written_before_cpu_time_was_measured():
    older = {**RESULTS, "phases": [{k: v for k, v in p.items() if k != "cpu_seconds"} for p in RESULTS["phases"]]}
    text = render(older)
    assert "| full `dbt build` | 8 min 00.0 s | 30.0 | - | 7.00 GiB |" in text
    assert "cores busy = CPU time" not in text


def test_update_readme_replaces_only_the_marked_section(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{START}\nold numbers\n{END}\nafter\n")
    update_readme(readme, "new numbers")
    assert readme.read_text() == f"# Title\n\nbefore\n{START}\nnew numbers\n{END}\nafter\n"


def test_build_command_passes_the_folders_in_vars_and_leaves_unit_tests_out():
    folders = {"landed": Path("/w/landed"), "gx_data_docs": Path("/w/gx"), "segment_files": Path("/w/files"),
               "target": Path("/w/target")}
    assert build_command("dbt", Path("/w/raw"), folders, Path("/w/logs")) == [
        "dbt", "build", "--vars",
        "{raw_dir: '/w/raw', landing_cache_dir: '/w/landed', gx_data_docs_dir: '/w/gx', exports_dir: '/w/files'}",
        "--target-path", "/w/target", "--log-path", "/w/logs", "--exclude-resource-type", "unit_test"]
