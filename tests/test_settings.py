"""Settings: defaults, then the TOML file, then DASTAN_* variables, then command-line flags."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.settings import ConfigError, load_settings


def test_file_then_environment_then_flags(tmp_path: Path) -> None:
    cfg = tmp_path / "dastan.toml"
    cfg.write_text('db = "/tmp/from-file.duckdb"\n[cluster]\nwindow_days = 3\n[summary]\nsentences = 5\n')
    s = load_settings(cfg, environ={"DASTAN_SUMMARY__SENTENCES": "2", "DASTAN_FETCH__ALLOW_HOSTS": '["127.0.0.1"]'})
    assert s.db == "/tmp/from-file.duckdb" and s.cluster.window_days == 3
    assert s.summary.sentences == 2  # the environment beats the file
    assert s.fetch.allow_hosts == ("127.0.0.1",)
    s = load_settings(cfg, overrides={"summary.sentences": 7, "db": None}, environ={"DASTAN_SUMMARY__SENTENCES": "2"})
    assert s.summary.sentences == 7 and s.db == "/tmp/from-file.duckdb"  # flags beat both; None is "not given"


@pytest.mark.parametrize(("text", "message"), [
    ("[cluster]\nwindow_dayz = 3\n", "unknown setting 'window_dayz'"),
    ("[clusterr]\nx = 1\n", "unknown section or setting 'clusterr'"),
    ("[cluster]\nwindow_days = 'many'\n", "cannot use 'many'"),
    ("[cluster\n", "not valid TOML"),
])
def test_mistakes_in_the_file_are_named(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "dastan.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg, environ={})


def test_bad_environment_value_is_named() -> None:
    with pytest.raises(ConfigError, match=r"environment \[flow\]\.wait_for_lock"):
        load_settings(environ={"DASTAN_FLOW__WAIT_FOR_LOCK": "perhaps"})


@pytest.mark.parametrize(("text", "message"), [
    # the eighth newcomer's cfg/bad2.toml, bad3.toml, bad7.toml and bad6.toml: each ran silently
    ("[cluster]\nwindow_days = -3\n", r"\[cluster\]\.window_days: -3 is not allowed \(a whole number, 1 or more\)"),
    ("[summary]\nsentences = 0\n", r"\[summary\]\.sentences: 0 is not allowed \(a whole number, 1 or more\)"),
    ("[summary]\nsentences = 2.5\n", r"\[summary\]\.sentences: 2\.5 is not allowed \(a whole number\)"),
    ("db = 5\n", r"db: 5 is not allowed \(a string\)"),
    ("[ingest]\nnear_duplicate_threshold = 7\n", r"threshold: 7\.0 is not allowed \(a number from 0 to 1\)"),
    ("[cluster]\npair_threshold = 1.5\n", r"\[cluster\]\.pair_threshold: 1\.5 is not allowed \(a number from 0 to 1\)"),
    ("[fetch]\ntimeout = -1\n", r"\[fetch\]\.timeout: -1\.0 is not allowed \(a number, 0 or more\)"),
    ("[flow]\nwait_for_lock = 1\n", r"wait_for_lock: 1 is not allowed \(true or false\)"),
    ("[cluster]\nwindow_days = true\n", r"window_days: True is not allowed \(a whole number\)"),
])
def test_values_out_of_range_or_of_another_type_are_named(tmp_path: Path, text: str, message: str) -> None:
    cfg = tmp_path / "dastan.toml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg, environ={})


def test_a_float_setting_takes_a_whole_number_and_the_environment_is_checked_too(tmp_path: Path) -> None:
    cfg = tmp_path / "dastan.toml"
    cfg.write_text("[cluster]\nthreshold = 1\n")
    assert load_settings(cfg, environ={}).cluster.threshold == 1.0
    with pytest.raises(ConfigError, match=r"environment \[cluster\]\.window_days: -1 is not allowed"):
        load_settings(environ={"DASTAN_CLUSTER__WINDOW_DAYS": "-1"})
