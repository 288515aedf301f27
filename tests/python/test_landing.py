"""segwarehouse.landing: which exports the landing hook reads again, in full, by their appended bytes, or not."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from segwarehouse.landing import fingerprint, land_plan

HEADER = b"\xef\xbb\xbfevent_id;contact_id;note\r\n"
ROWS = b'E1;C1;"a; quoted\r\nfield"\r\nE2;C2;plain\r\n'


def plan(path: Path, tail_dir: Path, landed: int | None, mark: str | None, append_only: bool = False) -> dict:
    return json.loads(land_plan(str(path), str(tail_dir), landed, mark, append_only))


def test_first_landing_is_full_and_fingerprints_the_whole_file(tmp_path: Path) -> None:
    export = tmp_path / "events.csv"
    export.write_bytes(HEADER + ROWS)
    first = plan(export, tmp_path / "cache", None, None)
    assert first == {
        "mode": "full",
        "bytes": len(HEADER + ROWS),
        "fingerprint": fingerprint(export, len(HEADER + ROWS), whole=True),
        "tail": None,
        "delimiter": ";",
    }


def test_unchanged_then_appended_file(tmp_path: Path) -> None:
    export = tmp_path / "events.csv"
    export.write_bytes(HEADER + ROWS)
    landed = len(HEADER + ROWS)
    mark = fingerprint(export, landed, whole=True)
    assert plan(export, tmp_path / "cache", landed, mark)["mode"] == "unchanged"

    appended = b"E3;C1;new\r\nE4;C3;\"two\r\nlines\"\r\n"
    export.write_bytes(HEADER + ROWS + appended)
    result = plan(export, tmp_path / "cache", landed, mark)
    assert result["mode"] == "append"
    assert result["bytes"] == landed + len(appended)
    # the tail is the header line (BOM kept) followed by the appended bytes only
    assert Path(result["tail"]).read_bytes() == HEADER + appended
    assert result["fingerprint"] == fingerprint(export, landed + len(appended), whole=True)


def test_changed_shorter_or_unterminated_files_are_landed_in_full(tmp_path: Path) -> None:
    export = tmp_path / "events.csv"
    export.write_bytes(HEADER + ROWS)
    landed = len(HEADER + ROWS)
    mark = fingerprint(export, landed, whole=True)

    export.write_bytes(HEADER + ROWS.replace(b"E2", b"E9") + b"E3;C1;new\r\n")  # an edited row, then more rows
    assert plan(export, tmp_path / "cache", landed, mark)["mode"] == "full"

    export.write_bytes(HEADER + ROWS[:-12])  # shorter: rows were removed
    assert plan(export, tmp_path / "cache", landed, mark)["mode"] == "full"

    export.write_bytes(HEADER + ROWS + b"E3;C1;new")
    unterminated = len(HEADER + ROWS) + len(b"E3;C1;new")
    export.write_bytes(HEADER + ROWS + b"E3;C1;new,more\r\n")  # the last landed line was continued, not ended
    assert plan(export, tmp_path / "cache", unterminated, fingerprint(export, unterminated, whole=True))["mode"] == "full"


def test_an_edit_inside_a_mutable_export_is_seen_anywhere(tmp_path: Path) -> None:
    """A row changed in place, far from both ends, same size: a mutable export (the default) is landed again in
    full; an append-only one, fingerprinted by its ends only, is not (the documented limit: `--full-refresh`)."""
    export = tmp_path / "orders.csv"
    rows = [f"O{n:06d},{'pending' if n == 5000 else 'shipped'}\n".encode() for n in range(10000)]
    export.write_bytes(b"order_id,status\n" + b"".join(rows))
    landed = export.stat().st_size
    marks = {mode: fingerprint(export, landed, whole=mode) for mode in (True, False)}
    export.write_bytes(b"order_id,status\n" + b"".join(rows).replace(b"pending", b"shipped") + b"O010000,new\n")
    assert plan(export, tmp_path, landed, marks[True])["mode"] == "full"
    assert plan(export, tmp_path, landed, marks[False], append_only=True)["mode"] == "append"


def test_comma_header_gives_comma_delimiter(tmp_path: Path) -> None:
    export = tmp_path / "orders.csv"
    export.write_bytes(b"order_id,total_amount\n1,\"12;5\"\n")
    assert plan(export, tmp_path, None, None)["delimiter"] == ","


def test_landing_cache_keeps_nothing_of_earlier_versions(tmp_path: Path) -> None:
    """The UTF-8 copy of a Windows-1252 export is replaced, not added to, when the export changes; a tail file is
    deleted once landed (`seg_discard_file`): the cache never holds rows the exports no longer have (GDPR erasure)."""
    import os

    from segwarehouse.exports import readable_csv
    from segwarehouse.landing import discard_file

    export = tmp_path / "exports" / "contacts.csv"
    export.parent.mkdir()
    cache = tmp_path / "cache"
    export.write_bytes("contact_id;last_name\nC1;Lefèvre\n".encode("cp1252"))
    first = Path(readable_csv(str(export), str(cache)))
    assert first.read_text(encoding="utf-8") == "contact_id;last_name\nC1;Lefèvre\n"
    export.write_bytes("contact_id;last_name\nC2;Bérénice\n".encode("cp1252"))
    os.utime(export, ns=(export.stat().st_atime_ns, export.stat().st_mtime_ns + 1_000_000_000))
    second = Path(readable_csv(str(export), str(cache)))
    assert second != first and not first.exists()
    assert [path.name for path in cache.iterdir()] == [second.name]

    tail = cache / "contacts.0123456789ab.tail.csv"
    tail.write_text("contact_id;last_name\nC3;Lefèvre\n", encoding="utf-8")
    assert discard_file(str(tail)) and not tail.exists()
    assert discard_file(str(tail))  # already gone: fine


def test_a_file_landed_as_utf8_is_checked_from_its_appended_bytes(tmp_path: Path) -> None:
    """`readable_csv` with the previous landing of the file itself: only the bytes after the landed ones are decoded.
    The landed part here holds a Windows-1252 byte the earlier build is taken to have accepted: with the landing
    record it is not read again (the file is read as is); without it, or once the landed bytes changed, or when the
    earlier build read another file, the whole file is checked and a UTF-8 copy is made."""
    from segwarehouse.exports import ExportFileError, readable_csv

    export = tmp_path / "events.csv"
    landed_part = b"event_id;note\nE1;caf\xe9\n"
    export.write_bytes(landed_part + "E2;déjà\n".encode())
    source, cache = str(export.resolve()), str(tmp_path / "cache")
    landed = len(landed_part)
    mark = fingerprint(export, landed, whole=False)

    assert readable_csv(str(export), cache, source, landed, mark, True) == source
    assert readable_csv(str(export), cache) != source  # no landing record: the whole file, not UTF-8
    assert readable_csv(str(export), cache, str(tmp_path / "other.csv"), landed, mark, True) != source
    assert readable_csv(str(export), cache, source, landed, "0" * 64, True) != source  # landed bytes changed
    assert readable_csv(str(export), cache, source, landed - 1, fingerprint(export, landed - 1), True) != source

    export.write_bytes(landed_part + b"E2;d\xe9j\xe0\n")  # the appended bytes are not UTF-8
    copy = Path(readable_csv(str(export), cache, source, landed, mark, True))
    assert copy != export and copy.read_text(encoding="utf-8").endswith("E2;déjà\n")

    export.write_bytes(landed_part + b"E2;\x00\n")
    with pytest.raises(ExportFileError, match=f"NUL byte at offset {landed + 3}"):
        readable_csv(str(export), cache, source, landed, mark, True)
