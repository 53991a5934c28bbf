"""One catalog, one runner: every node type the catalog declares has a runner handler, every
handler belongs to a catalog type, and every handler takes the runner's one signature."""

import inspect

from engine.catalog import CATALOG
from engine.runner.nodes import HANDLERS, Handler

SIGNATURE = ("runner", "conn", "plan", "node", "items", "now", "writes")


def test_every_catalog_type_has_a_handler_and_every_handler_a_type():
    assert sorted(set(CATALOG) - set(HANDLERS)) == [], "catalog types the runner cannot run"
    assert sorted(set(HANDLERS) - set(CATALOG)) == [], "handlers for types not in the catalog"


def test_every_handler_takes_the_one_signature():
    expected = list(inspect.signature(Handler.__call__).parameters)[1:]
    assert tuple(expected) == SIGNATURE
    for type_name, handler in HANDLERS.items():
        parameters = inspect.signature(handler).parameters
        assert tuple(parameters) == SIGNATURE, type_name
        assert all(p.annotation is not inspect.Parameter.empty for p in parameters.values()), (
            f"{type_name}: {handler.__qualname__} is not typed"
        )
