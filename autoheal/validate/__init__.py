"""``autoheal validate``: run the checks a repository declares (test commands, JSON Schema
validation of data files, dataset compatibility), report the failures in JSON and Markdown, and
optionally hand them to remediation. See ``README.md`` beside this file for the configuration.
"""

from autoheal.validate._cli import DEFAULT_REPORT_DIR, validate_command
from autoheal.validate._config import (
    CommandCheck,
    ConfigError,
    DatasetCheck,
    LoadedConfig,
    SchemaCheck,
    ValidateConfig,
    load_config,
)
from autoheal.validate._report import report_json, report_markdown, write_reports
from autoheal.validate._results import CheckResult, Problem, ValidationResult
from autoheal.validate._run import run_validation

__all__ = [
    "DEFAULT_REPORT_DIR",
    "CheckResult",
    "CommandCheck",
    "ConfigError",
    "DatasetCheck",
    "LoadedConfig",
    "Problem",
    "SchemaCheck",
    "ValidateConfig",
    "ValidationResult",
    "load_config",
    "report_json",
    "report_markdown",
    "run_validation",
    "validate_command",
    "write_reports",
]
