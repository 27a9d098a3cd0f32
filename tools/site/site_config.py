"""Write the website's Jupyter Book configuration: _config.yml + tools/site/site.yml.

Usage: python tools/site/site_config.py [--base _config.yml] [--extra tools/site/site.yml]
                                         [--out _build/site/_config.yml] [--no-jupyterlite]
                                         [--repository https://github.com/OWNER/NAME [--branch main]]
                                         [--cell-timeout SECONDS]

Mappings are merged key by key, lists are concatenated (base first), scalars
from the extra file win. Jupyter Book resolves `sphinx.local_extensions` paths
relative to the configuration file, so those are rewritten for the output's
location; every other path stays relative to the book's root.

--no-jupyterlite leaves out the JupyterLite site and its launch button (for a
machine where `jupyter lite build` cannot run).

--repository names the book's public GitHub repository. Only then does the
site get the Binder, Colab and Live Code (Thebe) buttons and a link to the
repository, each opening this chapter there; without it they are left out
(the JupyterLite button, which needs no repository, stays).

--cell-timeout sets how long one cell may run while the book executes (the
Makefile passes the same number to nbval), so a stalled cell fails the build
quickly instead of costing minutes.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import yaml


def merge(base, extra):
    """A new mapping: ``base`` updated with ``extra`` (recursively)."""
    if isinstance(base, dict) and isinstance(extra, dict):
        out = dict(base)
        for key, value in extra.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(extra, list):
        return base + [item for item in extra if item not in base]
    return extra


def without_jupyterlite(config: dict) -> dict:
    sphinx = config.get("sphinx", {})
    sphinx["extra_extensions"] = [e for e in sphinx.get("extra_extensions", []) if e != "jupyterlite_sphinx"]
    sphinx["config"] = {k: v for k, v in sphinx.get("config", {}).items() if not k.startswith("jupyterlite_")}
    config.get("launch_buttons", {}).pop("jupyterlite_url", None)
    return config


GITHUB_REPOSITORY = re.compile(r"https://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")


def with_repository(config: dict, url: str, branch: str) -> dict:
    """Add the launch buttons that open a chapter from the public repository ``url``."""
    if not GITHUB_REPOSITORY.fullmatch(url):
        raise ValueError(f"--repository: expected https://github.com/OWNER/NAME, got {url!r}")
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", branch):
        raise ValueError(f"--branch: expected a branch name, got {branch!r}")
    config["repository"] = {"url": url, "branch": branch, "path_to_book": ""}
    config.setdefault("launch_buttons", {}).update({
        "binderhub_url": "https://mybinder.org",
        "colab_url": "https://colab.research.google.com",
        "thebe": True,
    })
    config.setdefault("html", {})["use_repository_button"] = True
    return config


def site_config(base: Path, extra: Path, out: Path, root: Path, jupyterlite: bool = True,
                repository: str | None = None, branch: str = "main",
                cell_timeout: int | None = None) -> dict:
    config = merge(
        yaml.safe_load(base.read_text(encoding="utf-8")) or {},
        yaml.safe_load(extra.read_text(encoding="utf-8")) or {},
    )
    if not jupyterlite:
        config = without_jupyterlite(config)
    if repository:
        config = with_repository(config, repository, branch)
    if cell_timeout is not None:
        if cell_timeout <= 0:
            raise ValueError(f"--cell-timeout: expected a positive number of seconds, got {cell_timeout}")
        config.setdefault("execute", {})["timeout"] = cell_timeout
    local = config.get("sphinx", {}).get("local_extensions") or {}
    for name, path in local.items():
        local[name] = os.path.relpath(root / path, out.parent.resolve())
    return config


def main(argv=None) -> int:
    root = Path.cwd().resolve()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, default=Path("_config.yml"))
    parser.add_argument("--extra", type=Path, default=Path(__file__).with_name("site.yml"))
    parser.add_argument("--out", type=Path, default=Path("_build/site/_config.yml"))
    parser.add_argument("--no-jupyterlite", dest="jupyterlite", action="store_false")
    parser.add_argument("--repository", default="", help="https://github.com/OWNER/NAME (default: none)")
    parser.add_argument("--branch", default="main")
    parser.add_argument("--cell-timeout", type=int, help="seconds one cell may run (default: _config.yml's)")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        config = site_config(args.base, args.extra, args.out, root, args.jupyterlite,
                             args.repository or None, args.branch, args.cell_timeout)
    except ValueError as error:
        parser.error(str(error))
    header = f"# Generated by tools/site/site_config.py from {args.base} and {args.extra}; do not edit.\n"
    args.out.write_text(header + yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
