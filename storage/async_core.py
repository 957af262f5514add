"""SQLAlchemy's async engine and connection without the ORM.

The package `sqlalchemy.ext.asyncio` imports its ORM session module in its `__init__`, and with
it the whole ORM (about 0.1 CPU-s per process), although its engine, connection and result
classes live in submodules that need SQLAlchemy Core only. `defer_orm()` registers the package
as a module whose `__init__` has not run yet, imports its engine and result submodules and gives
the package their names (`AsyncEngine`, `AsyncConnection`, `create_async_engine`, `AsyncResult`,
... as its `__init__` would). The first access to any other name of the package
(`AsyncSession`, `async_sessionmaker`, ...) runs the real `__init__` into that same module, so
`from sqlalchemy.ext.asyncio import AsyncSession` anywhere keeps working, and loads the ORM at
that moment. A process that imported the package before (tests, Alembic's command line) is left
as it is. `storage/__init__.py` calls `defer_orm()`, so every storage module's
`from sqlalchemy.ext.asyncio import AsyncEngine` finds the deferred package.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from types import ModuleType
from typing import Any

PACKAGE = "sqlalchemy.ext.asyncio"
# the names the package's __init__ takes from its Core-only submodules
CORE_NAMES = {
    "engine": (
        "AsyncConnection",
        "AsyncEngine",
        "AsyncTransaction",
        "async_engine_from_config",
        "create_async_engine",
        "create_async_pool_from_url",
    ),
    "result": ("AsyncMappingResult", "AsyncResult", "AsyncScalarResult", "AsyncTupleResult"),
}


def defer_orm() -> None:
    """Register PACKAGE, its `__init__` not yet run; it runs at the first missing attribute."""
    if PACKAGE in sys.modules:
        return
    import sqlalchemy.ext  # the parent package, as an import of PACKAGE would load it

    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.loader is None:  # pragma: no cover - SQLAlchemy without asyncio
        importlib.import_module(PACKAGE)
        return
    module = importlib.util.module_from_spec(spec)  # sets __path__: its submodules import
    loader = spec.loader
    loading: list[bool] = []

    # `from . import exc` in a submodule asks the package for the name before importing it
    submodules = {info.name for info in pkgutil.iter_modules(module.__path__)}

    def __getattr__(name: str) -> Any:
        once_run = bool(loading)  # then a missing name is missing
        if once_run or name in submodules or (name.startswith("__") and name != "__all__"):
            raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")
        loading.append(True)
        loader.exec_module(module)
        return getattr(module, name)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules[PACKAGE] = module
    sqlalchemy.ext.asyncio = module
    for submodule, names in CORE_NAMES.items():
        found = importlib.import_module(f"{PACKAGE}.{submodule}")
        for name in names:
            if hasattr(found, name):
                setattr(module, name, getattr(found, name))


def core_engine_module() -> ModuleType:
    """`sqlalchemy.ext.asyncio.engine` (create_async_engine, AsyncEngine, AsyncConnection),
    imported without the ORM."""
    defer_orm()
    return importlib.import_module(PACKAGE + ".engine")
