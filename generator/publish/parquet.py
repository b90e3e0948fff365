"""Parquet files of a data package for analysts: typed columns, exact decimal amounts, and the
``facts`` resource with its document and bureau joined in, so a question is one query.

Input is a package folder as in DATA-CONTRACT.md (``datapackage.json`` plus its CSVs); nothing
else is read. DuckDB writes the files (``COPY (SELECT … ORDER BY <primary key>, …) TO …
(FORMAT parquet)``) on one thread from an in-memory database: the same package gives the same
bytes on every build, in any folder (a DuckDB database file would not).

- :func:`parquet_files` — resource name -> file name (``<resource>.parquet``) of a package;
  ``facts.parquet`` is the joined one (:data:`JOINED_COLUMNS` after ``document_id``, then the
  columns of facts).
- :func:`write_parquet` — one of those files.

Column types follow the descriptor's field types: ``number`` -> ``DECIMAL(18,6)`` (万元 with up
to six decimals: 元 with two decimals divided by 10,000), ``integer`` -> ``INTEGER``,
``boolean`` -> ``BOOLEAN``, ``string`` -> ``VARCHAR``; an empty CSV field (the descriptor's
``missingValues``) is NULL. A column holding a value its type cannot hold exactly (a package
that breaks the contract: text in a number field, an amount with seven decimals) is written as
text, as in the CSV, with a warning: never rounded, and the site is still built. Column names
are the CSV's, except the two that are SQL reserved words (:data:`RENAMED`): ``table`` ->
``source_table``, ``check`` -> ``check_id``.
"""
from __future__ import annotations

import json
import logging
import os
import re
from importlib.metadata import version
from pathlib import Path

from .catalog import dict_reader

#: DECIMAL(18,6) holds 12 digits before the point and 6 after
AMOUNT_TYPE = "DECIMAL(18,6)"
AMOUNT_PATTERN = r"-?[0-9]{1,12}(\.[0-9]{1,6})?"
INTEGER_PATTERN = r"-?[0-9]{1,9}"  # within INTEGER's range
BOOLEAN_PATTERN = r"true|false"
SQL_TYPES = {"string": "VARCHAR", "number": AMOUNT_TYPE, "integer": "INTEGER", "boolean": "BOOLEAN"}
PATTERNS = {"number": AMOUNT_PATTERN, "integer": INTEGER_PATTERN, "boolean": BOOLEAN_PATTERN}
#: CSV column -> Parquet column, for the names SQL reserves (a query would have to quote them)
RENAMED = {"table": "source_table", "check": "check_id"}
SUFFIX = ".parquet"
#: the columns of ``facts.parquet`` taken from documents and bureaus, after ``document_id``:
#: (resource, CSV column, Parquet column)
JOINED_COLUMNS = (
    ("documents", "bureau_id", "bureau_id"),
    ("bureaus", "name", "bureau_name"),
    ("bureaus", "province", "province"),
    ("bureaus", "prefecture", "prefecture"),
    ("bureaus", "county", "county"),
    ("bureaus", "level", "bureau_level"),
    ("bureaus", "division_code", "division_code"),
    ("documents", "title", "title"),
    ("documents", "year", "year"),
    ("documents", "phase", "phase"),
    ("documents", "scope", "scope"),
)
JOINED = "facts"
#: the Parquet writer's options: zstd, DuckDB's default row group size
COPY_OPTIONS = "FORMAT parquet, COMPRESSION zstd"
DUCKDB_MAX_LINE = 2_097_152  # read_csv's default max_line_size
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
log = logging.getLogger(__name__)


def duckdb_version() -> str:
    return version("duckdb")


def read_descriptor(package_dir: Path) -> dict:
    """The ``datapackage.json`` of a package folder; ValueError naming it when unreadable."""
    path = Path(package_dir) / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise ValueError(f"{path}: cannot read data package descriptor: {e}") from None


def _resources(descriptor: dict) -> dict[str, dict]:
    return {str(r.get("name") or ""): r for r in descriptor.get("resources", [])}


def joins_facts(descriptor: dict) -> bool:
    """Whether ``facts.parquet`` is the joined file: the package has facts, documents, bureaus."""
    return {JOINED, "documents", "bureaus"} <= set(_resources(descriptor))


def parquet_files(descriptor: dict) -> dict[str, str]:
    """Resource name -> Parquet file name, in the descriptor's order; raises ValueError for a
    name that is no plain file name (it becomes one)."""
    names = list(_resources(descriptor))
    for name in names:
        if not SAFE_NAME.match(name):
            raise ValueError(f"resource name {name!r} is not a plain file name")
    return {name: f"{name}{SUFFIX}" for name in names}


def _fields(resource: dict) -> list[dict]:
    return list((resource.get("schema") or {}).get("fields", []))


def _column(name: str) -> str:
    return RENAMED.get(name, name)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _read_csv_options(path: Path) -> tuple[list[str], int, str]:
    """The CSV's header, its number of rows (Python's csv reader) and the read_csv options for
    its longest row: DuckDB's default refuses a line past 2 MB (a long narrative sentence)."""
    longest = 0
    with path.open(encoding="utf-8", newline="") as f:
        reader = dict_reader(f)
        n = 0
        for row in reader:
            n += 1
            longest = max(longest, sum(len(str(v).encode("utf-8")) + 3 for v in row.values()))
        header = list(reader.fieldnames or [])
    options = ""
    if 2 * longest > DUCKDB_MAX_LINE:
        size = 2 * longest + DUCKDB_MAX_LINE  # quotes doubled inside a field at most double it
        options = f", max_line_size = {size}, buffer_size = {size}"
    return header, n, options


def _load(con, package_dir: Path, resource: dict) -> tuple[str, set[str]]:
    """The resource's CSV as a table of text (NULL for an empty field), checked against the
    descriptor: same header, same number of rows as Python's csv reader reads. Returns the
    table's name and the typed fields with a value not in the form their type holds exactly
    (to be kept as text)."""
    name = str(resource["name"])
    file = str(resource.get("path") or "")
    if not SAFE_NAME.match(file) or not SAFE_NAME.match(name):
        raise ValueError(f"{package_dir}: resource {name!r} path {file!r} is not a plain file name")
    path = Path(package_dir) / file
    if not path.is_file():
        raise FileNotFoundError(f"{path}: listed in datapackage.json but missing")
    fields = _fields(resource)
    names = [str(f["name"]) for f in fields]
    header, n, options = _read_csv_options(path)
    if header != names:
        raise ValueError(f"{path}: header {header} is not the descriptor's fields {names}")
    missing = (resource.get("schema") or {}).get("missingValues", [""])
    if missing != [""]:
        raise ValueError(f"{path}: missingValues {missing!r}: only [''] is supported")
    table = f"csv_{name}"
    columns = "{" + ", ".join(f"{_literal(c)}: 'VARCHAR'" for c in names) + "}"
    con.execute(
        f"CREATE TABLE {_quote(table)} AS SELECT * FROM read_csv({_literal(str(path))}, "
        f"header = true, columns = {columns}, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', strict_mode = true, encoding = 'utf-8'{options})")
    got = con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
    if got != n:
        raise ValueError(f"{path}: DuckDB read {got} rows, the csv module {n}")
    as_text: set[str] = set()
    for f in fields:
        kind = str(f.get("type") or "string")
        if kind not in SQL_TYPES:
            raise ValueError(f"{path}: field {f['name']!r} has type {kind!r}, not one of {sorted(SQL_TYPES)}")
        if kind in PATTERNS:
            col = _quote(str(f["name"]))
            bad = con.execute(
                f"SELECT count(*), min({col}) FROM {_quote(table)} WHERE {col} IS NOT NULL "
                f"AND NOT regexp_full_match({col}, {_literal(PATTERNS[kind])})").fetchone()
            if bad[0]:
                log.warning("%s: field %r: %d value(s) not an exact %s (e.g. %r): written as text",
                            path, f["name"], bad[0], SQL_TYPES[kind], bad[1])
                as_text.add(str(f["name"]))
    return table, as_text


def _typed(field: dict, alias: str, as_text: set[str], as_name: str | None = None) -> str:
    """``CAST(alias."name" AS type) AS "column"`` (``VARCHAR`` for a field in ``as_text``)."""
    name = str(field["name"])
    kind = "string" if name in as_text else str(field.get("type") or "string")
    return f"CAST({alias}.{_quote(name)} AS {SQL_TYPES[kind]}) AS {_quote(as_name or _column(name))}"


def _check_names(columns: list[str], where: str) -> None:
    if len(set(columns)) != len(columns):
        raise ValueError(f"{where}: duplicate column names {columns}")


def _select(con, package_dir: Path, descriptor: dict, name: str) -> tuple[str, list[str]]:
    """The SELECT of one Parquet file and its column names."""
    resources = _resources(descriptor)
    resource = resources[name]
    fields = _fields(resource)
    table, text = _load(con, package_dir, resource)
    pk = [str(k) for k in (resource.get("schema") or {}).get("primaryKey", [])]
    if name == JOINED and joins_facts(descriptor):
        docs = {str(f["name"]): f for f in _fields(resources["documents"])}
        bureaus = {str(f["name"]): f for f in _fields(resources["bureaus"])}
        d_table, d_text = _load(con, package_dir, resources["documents"])
        b_table, b_text = _load(con, package_dir, resources["bureaus"])
        own = {str(f["name"]): f for f in fields}
        # document_id, then the joined columns (one facts has itself, like year, from facts),
        # then the other columns of facts
        first = ["document_id", *(out for _, _, out in JOINED_COLUMNS)]
        exprs = [_typed(own["document_id"], "f", text)]
        for res, col, out in JOINED_COLUMNS:
            if out in own:
                exprs.append(_typed(own[out], "f", text))
            elif res == "documents":
                exprs.append(_typed(docs[col], "d", d_text, out))
            else:
                exprs.append(_typed(bureaus[col], "b", b_text, out))
        exprs += [_typed(f, "f", text) for n, f in own.items() if n not in first]
        columns = [*first, *(_column(n) for n in own if n not in first)]
        source = (f"FROM {_quote(table)} AS f JOIN {_quote(d_table)} AS d USING (document_id) "
                  f"JOIN {_quote(b_table)} AS b ON b.bureau_id = d.bureau_id")
        n_facts = con.execute(f"SELECT count(*) FROM {_quote(table)}").fetchone()[0]
        n_joined = con.execute(f"SELECT count(*) {source}").fetchone()[0]
        if n_joined != n_facts:
            raise ValueError(f"{package_dir}: {n_facts} facts but {n_joined} joined to their "
                             "document and bureau (a document_id or bureau_id without its row)")
    else:
        exprs = [_typed(f, "f", text) for f in fields]
        columns = [_column(str(f["name"])) for f in fields]
        source = f"FROM {_quote(table)} AS f"
    _check_names(columns, f"{package_dir} {name}")
    rest = [c for c in columns if c not in {_column(k) for k in pk}]
    order = ", ".join(_quote(c) for c in [*(_column(k) for k in pk), *rest])
    return f"SELECT {', '.join(exprs)} {source} ORDER BY {order}", columns


def _kv_metadata(descriptor: dict) -> str:
    """``, KV_METADATA {…}``: the package's licence (name, title, path) and name as key-value
    metadata of the file (the schema is unchanged), or '' when it names no licence."""
    lic = next(iter(descriptor.get("licenses") or []), None)
    if not lic:
        return ""
    pairs = {"license": lic.get("name"), "license_title": lic.get("title"), "license_path": lic.get("path"),
             "package": descriptor.get("name"), "package_version": descriptor.get("version")}
    kv = ", ".join(f"{key}: {_literal(str(value))}" for key, value in pairs.items() if value)
    return f", KV_METADATA {{{kv}}}"


def write_parquet(package_dir: Path, name: str, path: Path) -> None:
    """Write the Parquet file of resource ``name`` of the package to ``path`` (whole or not at
    all: through a temporary file beside it)."""
    import duckdb

    package_dir, path = Path(package_dir), Path(path)
    descriptor = read_descriptor(package_dir)
    if name not in _resources(descriptor):
        raise ValueError(f"{package_dir}: no resource {name!r}")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    # one thread: the row groups, and so the bytes, never depend on the machine
    con = duckdb.connect(":memory:", config={"threads": 1, "preserve_insertion_order": True})
    try:
        query, _ = _select(con, package_dir, descriptor, name)
        con.execute(f"COPY ({query}) TO {_literal(str(tmp))} ({COPY_OPTIONS}{_kv_metadata(descriptor)})")
        tmp.replace(path)
    finally:
        con.close()
        tmp.unlink(missing_ok=True)


def module_files() -> list[Path]:
    """What the files depend on besides the package: this module (for a cache key)."""
    return [Path(__file__)]

