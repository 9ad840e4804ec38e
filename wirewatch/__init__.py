"""wirewatch: a sourced, cross-checked picture of who does what, where, from many news reports."""

__version__ = "0.1.0"

from wirewatch.errors import WirewatchError  # noqa: E402
from wirewatch.model import (  # noqa: E402
    Analysis,
    Article,
    ArticleAnalysis,
    Claim,
    Entity,
    Quantity,
    Story,
)

__all__ = [
    "__version__",
    "Analysis",
    "Article",
    "ArticleAnalysis",
    "Claim",
    "Entity",
    "Quantity",
    "Story",
    "WirewatchError",
    "analyze",
    "Wirewatch",
]


def __getattr__(name: str):
    # The pipeline pulls in spaCy; import it only when asked, so `import wirewatch` stays cheap.
    if name in ("analyze", "Wirewatch"):
        from wirewatch import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
