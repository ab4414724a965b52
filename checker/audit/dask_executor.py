"""Optional Dask executor: send the audit's ingest and check chunks to an existing Dask cluster.

Installed with ``pip install gkcheck[dask]``. Workers must see the report files at the same
paths (a shared file system) and have gkcheck installed; results come back to this process,
which alone writes the database and the outputs.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any

from checker.errors import InputError


@contextmanager
def dask_executor(scheduler: Any) -> Iterator[Executor]:
    """A ``concurrent.futures`` executor backed by a Dask cluster.

    Args:
        scheduler: the scheduler address (``tcp://host:8786``) or an existing ``distributed.Client``.

    Raises:
        InputError: dask.distributed is not installed, or no scheduler address was given.
    """
    try:
        from distributed import Client
    except ImportError:
        raise InputError("未安装 Dask：请运行 pip install 'gkcheck[dask]'，或不用 --executor dask。",
                         "Dask is not installed: pip install 'gkcheck[dask]', or drop --executor dask.") from None
    if scheduler is None:
        raise InputError("使用 --executor dask 时必须用 --scheduler 指定调度器地址，例如 tcp://10.0.0.5:8786。",
                         "--executor dask needs --scheduler ADDRESS, e.g. tcp://10.0.0.5:8786.")
    own = not isinstance(scheduler, Client)
    client = Client(scheduler) if own else scheduler
    try:
        yield client.get_executor(pure=False)
    finally:
        if own:
            client.close()
