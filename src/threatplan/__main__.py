"""Allow ``python -m threatplan``."""

from threatplan.cli import main

raise SystemExit(main())
