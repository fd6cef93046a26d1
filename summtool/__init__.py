"""summtool: detect, translate (Chinese <-> English) and summarize official press releases.

The public API is imported lazily so that `import summtool` (and the CLI) never pays for torch.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["detect", "read", "read_text", "translate", "summarize", "Translator", "Detection", "Document",
           "SummtoolError", "InputError", "ModelError", "__version__"]

_LAZY = {
    "detect": ("summtool.detect", "detect"),
    "Detection": ("summtool.detect", "Detection"),
    "read": ("summtool.io", "read_path"),
    "read_text": ("summtool.io", "read_text"),
    "Document": ("summtool.io", "Document"),
    "SummtoolError": ("summtool.errors", "SummtoolError"),
    "InputError": ("summtool.errors", "InputError"),
    "ModelError": ("summtool.errors", "ModelError"),
    "translate": ("summtool.translation", "translate"),
    "Translator": ("summtool.translation", "Translator"),
    "summarize": ("summtool.summarizer", "summarize"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .detect import Detection, detect
    from .errors import InputError, ModelError, SummtoolError
    from .io import Document, read_path as read, read_text


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'summtool' has no attribute {name!r}")
