"""Every public function and class of the package says what it does."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import generator


def _modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(generator.__path__, "generator."))


def test_every_module_and_public_function_has_a_docstring() -> None:
    missing = []
    for name in _modules():
        module = importlib.import_module(name)
        if not module.__doc__:
            missing.append(name)
        for attr, value in vars(module).items():
            if attr.startswith("_") or getattr(value, "__module__", None) != name:
                continue
            if (inspect.isfunction(value) or inspect.isclass(value)) and not value.__doc__:
                missing.append(f"{name}.{attr}")
    assert missing == []


def test_every_metric_module_documents_its_functions() -> None:
    from generator.metrics import breadth, movers, results, returns, universe

    for module in (breadth, movers, results, returns, universe):
        for _, func in inspect.getmembers(module, inspect.isfunction):
            if func.__module__ == module.__name__:
                assert func.__doc__ and func.__doc__.strip().endswith("."), func.__name__
