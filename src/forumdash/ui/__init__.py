"""The only package that imports Streamlit: the shared frame, cached resources and widgets.

Every module of the package is imported with the package, in one go, under the import lock of
the package itself. In a freshly started server two sessions can run their pages' imports at
the same moment (a tab reconnecting after a restart and another opening): importing submodules
one by one from two threads, CPython 3.11 can hand one thread a submodule that the other's
import has just dropped, and the page failed with "cannot import name 'frame' from
'forumdash.ui'" (CI of session 23; CPython gh-143650). With the package importing them all,
a second thread waits for the first to finish the whole package."""

import importlib
import pkgutil

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
