"""The knowledge-base site: generated MkDocs Material pages and diagrams.

`site.build.build_site(report, out=, workdir=)` generates the pages for a report and runs a
strict MkDocs build; `site.serve.serve(...)` is the live preview. Nothing here reads YAML
or the command line: both take a `results.Report` (or a function that makes one).
"""
