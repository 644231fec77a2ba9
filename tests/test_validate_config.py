"""`autoheal validate` configuration: both files, and clear errors naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from autoheal.validate import ConfigError, load_config

PYPROJECT = """
[project]
name = "shop"

[tool.autoheal.validate]
max_errors = 5

[[tool.autoheal.validate.commands]]
name = "unit"
run = "pytest -q"
timeout = 600

[[tool.autoheal.validate.schemas]]
files = ["data/*.json", "data/*.jsonl"]
schema = "schemas/record.json"

[[tool.autoheal.validate.datasets]]
name = "train"
files = ["data/train/*.jsonl"]
"""

AUTOHEAL_TOML = """
[validate]
[[validate.commands]]
name = "lint"
run = "ruff check ."

[[validate.datasets]]
name = "eval"
files = ["data/eval/*.csv", "data/eval/*.parquet"]
format = "csv"
"""


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text)
    return path


def test_pyproject_table_is_found_and_parsed(tmp_path: Path) -> None:
    _write(tmp_path, "pyproject.toml", PYPROJECT)
    loaded = load_config(root=tmp_path)
    assert loaded.path == (tmp_path / "pyproject.toml").resolve()
    assert loaded.table == "tool.autoheal.validate" and loaded.root == tmp_path.resolve()
    config = loaded.config
    assert config.max_errors == 5
    assert [(c.name, c.run, c.timeout) for c in config.commands] == [("unit", "pytest -q", 600.0)]
    (schema,) = config.schemas
    assert schema.files == ["data/*.json", "data/*.jsonl"]
    assert schema.schema_path == "schemas/record.json" and schema.name == "schemas/record.json"
    assert [(d.name, d.files, d.format) for d in config.datasets] == [
        ("train", ["data/train/*.jsonl"], None)
    ]


def test_autoheal_toml_uses_the_same_keys_under_validate(tmp_path: Path) -> None:
    _write(tmp_path, "autoheal.toml", AUTOHEAL_TOML)
    _write(tmp_path, "pyproject.toml", "[project]\nname = 'shop'\n")  # declares no checks
    loaded = load_config(root=tmp_path)
    assert loaded.table == "validate" and loaded.path.name == "autoheal.toml"
    assert [c.timeout for c in loaded.config.commands] == [600.0]  # the default
    assert loaded.config.datasets[0].format == "csv"
    explicit = load_config(tmp_path / "autoheal.toml")
    assert explicit.config == loaded.config


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[tool.autoheal.validate\n", "invalid TOML"),
        (
            "[[tool.autoheal.validate.commands]]\nname = 'x'\nrun = 'true'\ntimeout = -1\n",
            "tool.autoheal.validate.commands[0].timeout: Input should be greater than 0",
        ),
        (
            "[[tool.autoheal.validate.commands]]\nname = 'x'\nrun = 'true'\ntimout = 5\n",
            "commands[0].timout: Extra inputs are not permitted",
        ),
        (
            "[[tool.autoheal.validate.schemas]]\nfiles = ['/etc/*.json']\nschema = 's.json'\n",
            "must be relative to the repository",
        ),
        (
            "[[tool.autoheal.validate.datasets]]\nname = 'd'\nfiles = ['../x/*.csv']\n",
            "without '..'",
        ),
        (
            "[[tool.autoheal.validate.datasets]]\nname = 'd'\nfiles = ['a.csv']\nformat = 'xls'\n",
            "datasets[0].format",
        ),
        (
            "[[tool.autoheal.validate.commands]]\nname = 'd'\nrun = 'true'\n"
            "[[tool.autoheal.validate.datasets]]\nname = 'd'\nfiles = ['a.csv']\n",
            "two checks are named 'd'",
        ),
        (
            "[[tool.autoheal.validate.datasets]]\nname = 'd'\nfiles = ['a.csv']\n"
            "columns = { id = 'int64', when = 'datetime' }\n",
            "datasets[0].columns: column 'when': unknown column type 'datetime'",
        ),
        (
            "[[tool.autoheal.validate.datasets]]\nname = 'd'\nfiles = ['a.csv']\ncolumns = {}\n",
            "columns is empty",
        ),
        (
            "[[tool.autoheal.validate.datasets]]\nname = 'd'\nfiles = ['a.csv']\n"
            "columns = { id = 'int64' }\nextra_columns = 'ignore'\n",
            "datasets[0].extra_columns",
        ),
        ("[tool.autoheal.validate]\nmax_errors = 3\n", "no checks declared"),
        ("[tool.autoheal]\nvalidate = 3\n", "must be a table"),
    ],
)
def test_invalid_configuration_names_the_file_and_the_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _write(tmp_path, "pyproject.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and expected in message


def test_missing_both_and_ambiguous_configurations_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no checks declared"):
        load_config(root=tmp_path)
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "nope.toml")
    _write(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    with pytest.raises(ConfigError, match=r"declares no \[tool.autoheal.validate\] table"):
        load_config(tmp_path / "pyproject.toml")
    _write(tmp_path, "pyproject.toml", PYPROJECT)
    _write(tmp_path, "autoheal.toml", AUTOHEAL_TOML)
    with pytest.raises(ConfigError, match=r"both autoheal\.toml and pyproject\.toml"):
        load_config(root=tmp_path)


def test_binary_and_non_utf8_configuration_files_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "autoheal.toml"
    path.write_bytes(b"[validate]\nname = '\xff\xfe'\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(path)
    path.write_bytes(b"\x00\x01\x02\x03PK")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(path)
