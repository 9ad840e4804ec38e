"""The one Jinja2 environment for pages and reports: autoescaping always on, templates from the package."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from wirewatch import __version__

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Build the environment once; `autoescape=True` escapes every value, article data included."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["version"] = __version__
    return env


def render(template: str, **context) -> str:
    """Render a template by name with `context`."""
    return environment().get_template(template).render(**context)
