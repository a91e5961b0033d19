"""The MkDocs configuration: the built-in one (for folders without `mkdocs.yml`) and the
adjustments every build needs (vendored offline shim, stylesheet, snippet base path).

Only Material's built-in plugins are used: search, tags and offline.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from threatplan.site.layout import ROOT
from threatplan.site.pages import CSS_PATH, SHIM_PATH

__all__ = ["NAV", "builtin_config", "write_builtin", "adjust"]

NAV = [
    {"Home": "index.md"},
    {"Systems": f"{ROOT}/systems/index.md"},
    {"Controls": f"{ROOT}/controls/index.md"},
    {"Standards": f"{ROOT}/standards/index.md"},
    {"Tags": f"{ROOT}/tags/index.md"},
]
"""Section index pages only: listing every page in the sidebar makes big sites very slow."""


def builtin_config(docs_dir: Path, site_dir: Path) -> dict:
    """The configuration used when the working folder has no `mkdocs.yml`."""
    return {
        "site_name": "Threat model",
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": False,
        "theme": {
            "name": "material",
            "font": False,
            "features": ["search.highlight", "search.suggest", "navigation.top",
                         "content.code.copy"],
            "palette": {"scheme": "default", "primary": "indigo", "accent": "indigo"},
        },
        "plugins": ["search", "tags", "offline"],
        "markdown_extensions": [
            "admonition",
            "tables",
            {"toc": {"permalink": True, "toc_depth": 3}},
            "pymdownx.superfences",
            {"pymdownx.highlight": {"anchor_linenums": False}},
            {"pymdownx.snippets": {"base_path": [str(docs_dir)], "check_paths": True,
                                   "restrict_base_path": True}},
        ],
        "extra": {"polyfills": [SHIM_PATH]},
        "extra_css": [CSS_PATH],
        "exclude_docs": f"/{ROOT}/home.md\n",
        "nav": NAV,
        "validation": {
            "nav": {"omitted_files": "info", "not_found": "warn", "absolute_links": "warn"},
            "links": {"not_found": "warn", "anchors": "warn", "absolute_links": "warn",
                      "unrecognized_links": "warn"},
        },
    }


def write_builtin(tmp: Path, site_dir: Path) -> tuple[Path, Path]:
    """Write the built-in configuration and home page into `tmp`; (config file, docs dir)."""
    docs = tmp / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    home = resources.files("threatplan.site").joinpath("assets/docs/index.md").read_bytes()
    (docs / "index.md").write_bytes(home)
    cfg = tmp / "mkdocs.yml"
    cfg.write_text(yaml.safe_dump(builtin_config(docs, site_dir), sort_keys=False), encoding="utf-8")
    return cfg, docs


def adjust(config, docs_dir: Path) -> None:
    """Make a loaded configuration work offline with our pages, whatever its file says."""
    polyfills = config.extra.get("polyfills") or []
    if not any("iframe-worker" in str(p) for p in polyfills):
        # Otherwise the offline plugin adds a CDN URL: the site must make no external request.
        config.extra["polyfills"] = [*polyfills, SHIM_PATH]
    if CSS_PATH not in config.extra_css:
        config.extra_css.append(CSS_PATH)
    snippets = config.mdx_configs.get("pymdownx.snippets")
    if snippets is not None:
        # Relative base paths resolve against the process's cwd; pin them to the docs folder.
        snippets["base_path"] = [str(docs_dir)]
