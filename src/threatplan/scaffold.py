"""`threatplan init` and `threatplan new-control`: start a model repository or a control.

Nothing existing is ever overwritten: a file that is already there is left alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from threatplan.errors import ThreatplanError

__all__ = ["init_repository", "new_control", "EXAMPLE_SYSTEM"]

EXAMPLE_SYSTEM = """\
# yaml-language-server: $schema=../schema/threatplan-model.schema.json
# A first system. Validate with:  threatplan validate model/
# Analyze with:                   threatplan check model/
system:
  id: my-service
  name: My Service
  owner: my-team
  description: A web API with a database, reached from the internet.
  reviewed: {today}

zones:
  - id: internet
    trust: untrusted
  - id: app
    trust: internal
  - id: data
    trust: restricted
    parent: app

data:
  - id: user-accounts
    classification: confidential
    kind: pii
  - id: passwords
    classification: secret
    kind: credentials

components:
  - id: browser
    kind: user
    zone: internet
  - id: api
    name: Web API
    kind: service
    zone: app
    tech: [nodejs, express]
    runs_as: service-account
    exposes: [login]
    sessions: cookie
    processes: [user-accounts, passwords]
    controls:
      auth.rate-limit: planned
  - id: db
    name: Database
    kind: datastore
    zone: data
    tech: [postgres]
    stores: [user-accounts, passwords]

flows:
  - from: browser
    to: api
    protocol: https
    authn: session
    data: [user-accounts, passwords]
  - from: api
    to: db
    protocol: sql-tls
    authn: password
    data: [user-accounts, passwords]
"""

_README = """\
# Threat model

One YAML file per system in `model/`. Custom controls go in `threats/`.

    threatplan validate model/     # check the files (errors as FILE:LINE:COL)
    threatplan check model/        # ranked findings and the remediation plan
    threatplan build model/        # the knowledge-base site in site/
"""

_CONTROL = """\
# A custom control. Every field is explained on the site's "Condition language" page
# (threatplan build) and in docs/catalog-format.md of threatplan; see a built-in record
# with: threatplan explain auth.rate-limit
id: {id}
title: {title} is missing
control: Describe the control in one line.
group: {group}
severity: medium            # low | medium | high | critical (or 1-5)
stride: [tampering]
target: component           # component | flow | system
threat: >-
  Describe who attacks what, and what they gain when the control is missing.
applies_to:
  kind: [service]
satisfied_by:
  control: {{id: {id}, status: [implemented]}}
why: >-
  Why the control matters.
how_to_verify:
  - A concrete check a reviewer can run.
fix:
  summary: What to do.
effort: M                   # S | M | L
refs:                       # real ids only; every list may stay empty
  cwe: []                   # numbers or CWE-n, e.g. [307]
  owasp: []                 # OWASP Top 10 2021, e.g. ["A07:2021"]
  asvs: []                  # OWASP ASVS 4.0.3 requirement ids, e.g. ["2.2.1"]
  nist: []                  # NIST SP 800-53 rev. 5 controls, e.g. [AC-7, "IA-2(1)"]
"""


def _write_new(path: Path, text: str, created: list[Path]) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    created.append(path)


def init_repository(directory: Path) -> list[Path]:
    """Create model/, threats/, schema/ and a README in `directory`; return what was created."""
    import datetime as _dt
    import json

    from threatplan.schema import json_schema

    created: list[Path] = []
    _write_new(directory / "model" / "my-service.yaml",
               EXAMPLE_SYSTEM.format(today=_dt.date.today().isoformat()), created)
    _write_new(directory / "schema" / "threatplan-model.schema.json",
               json.dumps(json_schema(), indent=2, sort_keys=True) + "\n", created)
    _write_new(directory / "threats" / "README.md",
               "Custom controls: one YAML record per control. Start one with "
               "`threatplan new-control team.my-control`.\n", created)
    _write_new(directory / "THREATMODEL.md", _README, created)
    if not created:
        raise ThreatplanError(f"nothing to do: {directory} already has a model repository")
    return created


def new_control(control_id: str, folder: Path) -> Path:
    """Write a record skeleton for a new control id; refuse to overwrite."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+", control_id):
        raise ThreatplanError(f"'{control_id}' is not a control id: use group.name in lowercase, e.g. team.audit-log")
    group, _, name = control_id.partition(".")
    path = folder / group / f"{name}.yaml"
    if path.exists():
        raise ThreatplanError(f"{path} already exists")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_CONTROL.format(id=control_id, group=group, title=name.replace("-", " ").capitalize()),
                    encoding="utf-8")
    return path
