"""Every broken file gives its exact FILE:LINE:COL: field: message, exit 2, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from threatplan.cli import main

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "accept-unknown-element.yaml": "5:14: accepted[0].element: unknown element 'nothing'",
    "bad-date.yaml": "3:13: system.reviewed: '2026-02-30' is not a date; write YYYY-MM-DD",
    "bad-enum.yaml": "5:12: zones[0].trust: 'untrustd' is not allowed; use one of untrusted, partner, "
                     "internal, restricted (did you mean 'untrusted'?)",
    "bad-slug.yaml": "2:7: system.id: 'Shop Main' is not a valid system id (use lowercase letters, digits "
                     "and '-', starting with a letter or digit)",
    "binary.yaml": "3:10: -: file is binary (contains a NUL byte), not YAML text",
    "dangling-data.yaml": "13:17: components[0].processes[0]: unknown data asset 'order' (did you mean 'orders'?)",
    "dangling-flow.yaml": "12:9: flows[0].to: unknown component 'db'",
    "dangling-zone.yaml": "9:11: components[0].zone: unknown zone 'ap' (did you mean 'app'?)",
    "duplicate-id.yaml": "10:9: components[1].id: duplicate component id 'api' "
                         "(first at tests/broken/duplicate-id.yaml:7)",
    "duplicate-key.yaml": "3:3: system.id: duplicate key 'id' (first at line 2)",
    "empty.yaml": "1:1: -: file is empty",
    "include-escape.yaml": "3:11: include[0]: '../../pyproject.toml' is outside the model folder; "
                           "includes are confined to it",
    "latin1.yaml": "3:12: -: file is not valid UTF-8 (byte 0xe9) (save the file as UTF-8)",
    "missing-field.yaml": "4:5: components[0].zone: required key 'zone' is missing",
    "na-scalar.yaml": "11:24: components[0].controls.auth.rate-limit: status 'not-applicable' needs a reason "
                      "(write {status: not-applicable, reason: \"...\"})",
    "flow-id-collision.yaml": "14:9: flows[0].id: flow id 'pg' is also a component id; findings and acceptances "
                              "could not tell them apart (rename the flow, e.g. 'pg-flow')",
    "na-without-reason.yaml": "11:17: components[0].controls.auth.mfa: status 'not-applicable' needs a reason",
    "not-mapping.yaml": "1:1: -: the top level must be a mapping with a 'system' key, not a list",
    "python-tag.yaml": "3:9: system.name: YAML tag '!!python/object/apply:os.system' is not allowed; "
                       "only plain values, lists and mappings",
    "syntax.yaml": "4:1: -: YAML syntax error: did not find expected node content",
    "unknown-control.yaml": "11:7: components[0].controls.auth.rate-limt: unknown control id "
                            "'auth.rate-limt' (did you mean 'auth.rate-limit'?)",
    "unknown-key.yaml": "3:3: system.nmae: unknown key 'nmae' (did you mean 'name'?)",
    "zone-cycle.yaml": "6:13: zones[0].parent: zone parents form a cycle through 'app'",
}


def test_every_broken_file_is_in_the_table():
    files = sorted(p.name for p in (ROOT / "tests" / "broken").glob("*.yaml"))
    assert files == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_reports_exact_position(name, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["validate", f"tests/broken/{name}"])
    err = capsys.readouterr().err
    assert code == 2
    assert f"tests/broken/{name}:{CASES[name]}" in err.splitlines()
    assert "Traceback" not in err


def test_all_errors_are_reported_at_once(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(
        "system:\n  id: shop\n  nmae: x\nzones:\n  - id: app\n    trust: internl\n"
        "components:\n  - id: api\n    kind: service\n    zone: ap\n", encoding="utf-8")
    (tmp_path / "n.yaml").write_text("system:\n  id: shop\n", encoding="utf-8")
    assert main(["validate", "."]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        "m.yaml:3:3: system.nmae: unknown key 'nmae' (did you mean 'name'?)",
        "m.yaml:6:12: zones[0].trust: 'internl' is not allowed; use one of untrusted, partner, internal, "
        "restricted (did you mean 'internal'?)",
        "m.yaml:10:11: components[0].zone: unknown zone 'ap' (did you mean 'app'?)",
        "n.yaml:2:7: system.id: duplicate system id 'shop' (also in m.yaml)",
        "4 errors",
    ]


def test_alias_bomb_is_refused(tmp_path, capsys, monkeypatch):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    (tmp_path / "bomb.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "bomb.yaml"]) == 2
    err = capsys.readouterr().err
    assert "aliases expand to more than 10,000 nodes (alias bomb?)" in err


def test_include_merges_parts_and_keeps_their_positions(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "parts").mkdir()
    (tmp_path / "shop.yaml").write_text(
        "system:\n  id: shop\ninclude: [parts/net.yaml]\ncomponents:\n  - id: api\n    kind: service\n"
        "    zone: app\n", encoding="utf-8")
    (tmp_path / "parts" / "net.yaml").write_text(
        "zones:\n  - id: app\n    trust: internal\ncomponents:\n  - id: db\n    kind: datastore\n    zone: dat\n",
        encoding="utf-8")
    assert main(["validate", "."]) == 2
    assert capsys.readouterr().err.splitlines()[0] == \
        "parts/net.yaml:7:11: components[1].zone: unknown zone 'dat'"
    (tmp_path / "parts" / "net.yaml").write_text(
        "zones:\n  - id: app\n    trust: internal\ncomponents:\n  - id: db\n    kind: datastore\n    zone: app\n",
        encoding="utf-8")
    assert main(["validate", "."]) == 0
    assert "1 system, 2 elements, 2 files" in capsys.readouterr().out


def test_missing_path_and_empty_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "nowhere"]) == 2
    assert "nowhere:0:0: -: no such file or folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["validate", "empty"]) == 2
    assert "no model files (*.yaml) found" in capsys.readouterr().err


def test_size_cap(tmp_path, monkeypatch):
    import threatplan.yamlpos as yamlpos
    from threatplan.errors import InputError
    from threatplan.loading import load_paths
    monkeypatch.setattr(yamlpos, "MAX_FILE_BYTES", 1000)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.yaml").write_text("system:\n  id: big\n" + "# padding\n" * 200, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_paths(["big.yaml"])
    assert [d.render() for d in exc.value.diagnostics] == ["big.yaml:1:1: -: file is 2,018 bytes; the limit is 1,000"]


def test_self_loop_flow_is_a_warning_not_an_error(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(
        "system:\n  id: shop\nzones:\n  - {id: app, trust: internal}\ncomponents:\n"
        "  - {id: api, kind: service, zone: app}\nflows:\n  - {from: api, to: api, protocol: https}\n",
        encoding="utf-8")
    assert main(["validate", "m.yaml"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("m.yaml:8:5: flows[0]: warning: flow from 'api' to itself adds no path to the graph "
                          "(model the other side as its own component, or remove the flow)")


def test_a_misspelt_section_does_not_flood_knock_on_errors(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(
        "system:\n  id: shop\nzones:\n  - {id: app, trust: internal}\ncompnents:\n"
        "  - {id: api, kind: service, zone: app}\n  - {id: db, kind: datastore, zone: app}\n"
        "flows:\n  - {from: api, to: db, protocol: https}\n  - {from: api, to: nowhere-db, protocol: https}\n",
        encoding="utf-8")
    assert main(["validate", "m.yaml"]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "m.yaml:5:1: compnents: unknown key 'compnents' (did you mean 'components'?)",
        "1 error",
    ]
