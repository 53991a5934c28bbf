"""Reading a CSV file as people's tools write it: the encoding (UTF-8/16/32 with or without a
BOM, Windows-1252 and other single-byte code pages, via charset-normalizer) and the dialect
(`,` `;` tab or `|`, RFC 4180 quoting with doubled quotes and line breaks inside quotes),
both found from a sample of the file, then rows streamed with the line they start on.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

from engine.import_report import ImportFileError

SAMPLE_BYTES = 256 * 1024
DELIMITERS = (",", ";", "\t", "|")
# Code pages charset-normalizer may choose from when the file is not Unicode: the ones
# spreadsheet programs save in. Windows-1252 wins ties (Excel's default in the West).
CODE_PAGES = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "iso8859_15",
              "mac_roman", "koi8_r", "shift_jis", "gb18030", "big5", "euc_kr"]  # fmt: skip


def detect_encoding(sample: bytes) -> str:
    """The encoding of a file that starts with `sample`."""
    for bom, name in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):  # fmt: skip
        if sample.startswith(bom):
            return name
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        utf8 = False
    else:
        if b"\x00" not in sample:
            return "utf-8"
        utf8 = True
    # UTF-16 without a BOM: text in Latin scripts has a NUL in every other byte.
    if sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le"
    if sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be"
    if utf8:  # UTF-8 with a stray NUL: the importer removes it from the field, with a warning
        return "utf-8"
    matches = charset_normalizer.from_bytes(sample, cp_isolation=CODE_PAGES)
    best = matches.best()
    if best is None:
        raise ImportFileError("the text encoding could not be recognised (save it as UTF-8)")
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    if any("cp1252" in m.could_be_from_charset for m in tied):
        return "cp1252"
    return best.encoding


def _score(text: str, delimiter: str) -> tuple[int, int]:
    """How well `delimiter` explains the sample: rows as wide as the header (the header
    wider than one column), then the header's width."""
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"',
                               doublequote=True, strict=False))  # fmt: skip
    except csv.Error:
        return (0, 0)
    rows = [r for r in rows if r and any(c.strip() for c in r)]
    if not rows or len(rows[0]) < 2:
        return (0, 0)
    width = len(rows[0])
    return (sum(1 for r in rows[1:] if len(r) == width) + 1, width)


def detect_delimiter(text: str) -> str:
    """The delimiter that gives the most rows as wide as the header. The last (maybe cut)
    line of the sample is left out. Ties go to the earlier of , ; tab |."""
    lines = text.splitlines(keepends=True)
    if len(lines) > 1:
        text = "".join(lines[:-1])
    scores = {d: _score(text, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (scores[d], -DELIMITERS.index(d)))
    return best if scores[best][0] else ","


class _Dialect(csv.Dialect):
    delimiter = ","
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL
    strict = False


@dataclass
class Row:
    line: int
    cells: list[str]


class CsvSource:
    """A CSV file with a header row: its encoding, delimiter, header and rows."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise ImportFileError(
                f"{self.path}: "
                + ("a folder, not a file" if self.path.is_dir() else "no such file")
            )
        with self.path.open("rb") as handle:
            raw = handle.read(SAMPLE_BYTES)
        if not raw.strip():
            raise ImportFileError(f"{self.path}: the file is empty")
        try:
            self.encoding = detect_encoding(raw)
        except ImportFileError as exc:
            raise ImportFileError(f"{self.path}: {exc}") from None
        sample = codecs.getincrementaldecoder(self.encoding)(errors="replace").decode(raw)
        if not sample.strip():
            raise ImportFileError(f"{self.path}: the file is empty")
        self.dialect = type("Sniffed", (_Dialect,), {"delimiter": detect_delimiter(sample)})
        header = next(csv.reader(io.StringIO(sample), self.dialect))
        self.header = [h.strip() for h in header]
        for position, name in enumerate(self.header, 1):
            if not name:
                raise ImportFileError(f"{self.path}: column {position} has no name in the header")

    @property
    def delimiter(self) -> str:
        return self.dialect.delimiter

    def _open(self):
        return self.path.open(encoding=self.encoding, newline="")

    def rows(self, rejected: list[tuple[int, str]] | None = None) -> Iterator[Row]:
        """Data rows; rows of another width than the header go to `rejected` when given."""
        width = len(self.header)
        with self._open() as handle:
            reader = csv.reader(handle, self.dialect)
            try:
                next(reader)
                line = reader.line_num + 1
                for cells in reader:
                    start, line = line, reader.line_num + 1
                    if not cells or (len(cells) == 1 and not cells[0].strip()):
                        continue  # blank line
                    if len(cells) != width:
                        if rejected is not None:
                            rejected.append(
                                (start, f"{len(cells)} columns, the header has {width}")
                            )
                        continue
                    yield Row(start, cells)
            except csv.Error as exc:
                raise ImportFileError(f"{self.path} line {reader.line_num}: {exc}") from None
            except UnicodeDecodeError as exc:
                raise ImportFileError(
                    f"{self.path}: not {self.encoding} text after all ({exc.reason}); "
                    "save it as UTF-8"
                ) from None

    def preview(self, limit: int = 20) -> list[list[str]]:
        """The first data rows, for a mapping screen."""
        out = []
        for row in self.rows():
            out.append(row.cells)
            if len(out) >= limit:
                break
        return out
