"""Campaign Studio's engine: the diagram model, node catalog, file format, validation,
database, execution and statistics. Plain Python: nothing under this package imports Qt."""

__version__ = "0.1.0"
