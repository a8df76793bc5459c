"""Settings come from SCA_* variables, then explicit flags; bad values name their variable."""

from pathlib import Path

import pytest

from dashboard.settings import Settings as AppSettings
from geodata.settings import Settings


def test_environment_then_overrides():
    env = {"SCA_STORE": "/tmp/a.parquet", "SCA_FUZZY_THRESHOLD": "92.5", "SCA_PROGRESS": "off"}
    settings = Settings.from_env(env, store="/tmp/b.parquet", boundaries=None)
    assert settings.store == Path("/tmp/b.parquet")
    assert settings.fuzzy_threshold == 92.5 and settings.progress is False
    assert settings.quarantine == Path("/tmp/b.quarantine.csv")


def test_app_settings_types_and_pipeline_link():
    app = AppSettings.from_env({"SCA_PORT": "9001", "SCA_DEBUG": "yes", "SCA_BOUNDARIES": "ocha.zip"})
    assert (app.port, app.debug, app.host) == (9001, True, "127.0.0.1")
    assert app.pipeline().boundaries == Path("ocha.zip") and app.pipeline().store == app.store


@pytest.mark.parametrize("env", [{"SCA_PORT": "eighty"}, {"SCA_DEBUG": "maybe"}])
def test_bad_value_names_the_variable(env):
    with pytest.raises(ValueError, match=next(iter(env))):
        AppSettings.from_env(env)
