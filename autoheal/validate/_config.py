"""The checks a repository declares: ``[tool.autoheal.validate]`` in ``pyproject.toml`` or
``[validate]`` in ``autoheal.toml`` (same keys), parsed and validated with pydantic.

Every error names the file it comes from, and paths in the configuration stay inside the
repository (relative, no ``..``), so reports can name files relative to its root.
"""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from autoheal.validate._types import parse_type

PYPROJECT: Final = "pyproject.toml"
AUTOHEAL_TOML: Final = "autoheal.toml"
MAX_CONFIG_BYTES: Final = 1 << 20


class ConfigError(ValueError):
    """The configuration is missing, unreadable or invalid; the message names the file."""


def _relative_pattern(value: str) -> str:
    text = value.strip()
    if not text:
        raise ValueError("an empty path")
    posix = PurePosixPath(text.replace("\\", "/"))
    if posix.is_absolute() or text.startswith("~") or ".." in posix.parts:
        raise ValueError(f"{value!r} must be relative to the repository, without '..'")
    return posix.as_posix()


Pattern = Annotated[str, Field(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CommandCheck(_Strict):
    """A test command, run with ``/bin/sh -c`` at the repository root."""

    name: str = Field(min_length=1, max_length=100)
    run: str = Field(min_length=1)
    timeout: float = Field(default=600.0, gt=0, le=24 * 3600, description="seconds")
    env: dict[str, str] = Field(default_factory=dict)


class SchemaCheck(_Strict):
    """JSON (one document) and JSON Lines (one document a line) files against a JSON Schema."""

    name: str = Field(default="", max_length=100)
    files: list[Pattern] = Field(min_length=1)
    schema_path: str = Field(alias="schema")

    @field_validator("files")
    @classmethod
    def _relative_files(cls, value: list[str]) -> list[str]:
        return [_relative_pattern(p) for p in value]

    @field_validator("schema_path")
    @classmethod
    def _relative_schema(cls, value: str) -> str:
        return _relative_pattern(value)

    @model_validator(mode="after")
    def _default_name(self) -> SchemaCheck:
        if not self.name:
            object.__setattr__(self, "name", self.schema_path)
        return self


class DatasetCheck(_Strict):
    """Files that must load as one table (JSON Lines, CSV, Parquet), as ``datasets`` would."""

    name: str = Field(min_length=1, max_length=100)
    files: list[Pattern] = Field(min_length=1)
    format: Literal["json", "csv", "parquet"] | None = None  # None: from each file's suffix
    columns: dict[str, str] | None = Field(
        default=None, description='expected type of each column, e.g. {id = "int64"}'
    )
    extra_columns: Literal["refuse", "allow"] = "refuse"  # columns not in `columns`

    @field_validator("files")
    @classmethod
    def _relative_files(cls, value: list[str]) -> list[str]:
        return [_relative_pattern(p) for p in value]

    @field_validator("columns")
    @classmethod
    def _known_types(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None:
            if not value:
                raise ValueError("columns is empty: name at least one column, or leave it out")
            for name, spelled in value.items():
                try:
                    parse_type(spelled)
                except ValueError as exc:
                    raise ValueError(f"column {name!r}: {exc}") from None
        return value


class ValidateConfig(_Strict):
    commands: list[CommandCheck] = Field(default_factory=list)
    schemas: list[SchemaCheck] = Field(default_factory=list)
    datasets: list[DatasetCheck] = Field(default_factory=list)
    max_errors: int = Field(default=20, ge=1, le=10_000, description="problems kept per check")
    max_file_mb: float = Field(default=1024.0, gt=0, description="larger data files fail")

    @model_validator(mode="after")
    def _unique_names(self) -> ValidateConfig:
        seen: set[str] = set()
        for name in self.check_names():
            if name in seen:
                raise ValueError(f"two checks are named {name!r}; names must be unique")
            seen.add(name)
        if not seen:
            raise ValueError("no checks declared (commands, schemas or datasets)")
        return self

    def check_names(self) -> list[str]:
        names = [c.name for c in self.commands] + [s.name for s in self.schemas]
        return names + [d.name for d in self.datasets]

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * (1 << 20))


class LoadedConfig(BaseModel):
    """A parsed configuration and where it came from (its directory is the repository root)."""

    model_config = ConfigDict(frozen=True)

    path: Path
    table: str  # "tool.autoheal.validate" or "validate"
    config: ValidateConfig

    @property
    def root(self) -> Path:
        return self.path.parent


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: larger than {MAX_CONFIG_BYTES} bytes")
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def _table(data: dict[str, Any], keys: tuple[str, ...]) -> Any:
    node: Any = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _parse(path: Path, table: str, raw: Any) -> LoadedConfig:
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [{table}] must be a table")
    try:
        config = ValidateConfig.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            where = _where(tuple(error["loc"]))
            message = error["msg"].removeprefix("Value error, ")
            lines.append(f"  {table}{'.' + where if where else ''}: {message}")
        raise ConfigError(f"{path}: invalid validation config:\n" + "\n".join(lines)) from None
    return LoadedConfig(path=path.resolve(), table=table, config=config)


def _declared(path: Path) -> tuple[str, Any] | None:
    """The validation table in ``path``, or None when the file declares none."""
    data = _read_toml(path)
    if path.name == PYPROJECT:
        raw = _table(data, ("tool", "autoheal", "validate"))
        return None if raw is None else ("tool.autoheal.validate", raw)
    raw = _table(data, ("validate",))
    return None if raw is None else ("validate", raw)


def load_config(path: Path | None = None, *, root: Path | None = None) -> LoadedConfig:
    """Read the checks from ``path``, or find them at ``root`` (default: the current directory).

    Searching, both ``autoheal.toml`` and ``pyproject.toml`` are looked at; declaring checks in
    both is an error rather than a silent choice.
    """
    if path is not None:
        if not path.is_file():
            raise ConfigError(f"{path}: no such file")
        found = _declared(path)
        if found is None:
            wanted = "[tool.autoheal.validate]" if path.name == PYPROJECT else "[validate]"
            raise ConfigError(f"{path}: declares no {wanted} table")
        return _parse(path, *found)
    base = root or Path.cwd()
    candidates = [base / AUTOHEAL_TOML, base / PYPROJECT]
    declared = [(c, found) for c in candidates if c.is_file() and (found := _declared(c))]
    if not declared:
        raise ConfigError(
            f"{base}: no checks declared: add [tool.autoheal.validate] to {PYPROJECT} or "
            f"[validate] to {AUTOHEAL_TOML}"
        )
    if len(declared) > 1:
        raise ConfigError(
            f"{base}: both {AUTOHEAL_TOML} and {PYPROJECT} declare validation checks; keep one"
        )
    (source, (table, raw)), *_ = declared
    return _parse(source, table, raw)
