"""The TWILIO_BULK_* settings fail closed: an unknown backend, a Redis URL or a rate that is not one is an error."""
from __future__ import annotations

import pytest

from flask_twilio_rb.config import Settings
from flask_twilio_rb.errors import ConfigurationError


def test_the_backend_is_threads_by_default_and_read_case_insensitively():
    assert Settings.from_mapping({}).bulk_backend == "threads"
    assert Settings.from_mapping({"TWILIO_BULK_BACKEND": " Celery "}).bulk_backend == "celery"


def test_an_unknown_backend_names_the_two_there_are():
    with pytest.raises(ConfigurationError, match=r"TWILIO_BULK_BACKEND is 'rq' .*one of 'threads', 'celery'"):
        Settings.from_mapping({"TWILIO_BULK_BACKEND": "rq"})


def test_the_rate_comes_from_the_environment_as_a_number():
    assert Settings.from_mapping({"TWILIO_BULK_RATE": "2.5"}).bulk_rate == 2.5
    assert Settings.from_mapping({}).bulk_rate is None


@pytest.mark.parametrize("bad", ["fast", "0", "-1", "inf", "nan"])
def test_a_rate_that_is_not_above_zero_is_refused(bad):
    with pytest.raises(ConfigurationError, match=f"TWILIO_BULK_RATE is '{bad}' .*a number above 0 "
                                                 r"\(the message segments per second each sender may send"):
        Settings.from_mapping({"TWILIO_BULK_RATE": bad})


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.example.com:6380/1",
                                 "unix:///run/redis.sock", " redis://:pw@10.0.0.5/2 "])
def test_redis_urls_are_taken(url):
    assert Settings.from_mapping({"TWILIO_BULK_REDIS_URL": url}).bulk_redis_url == url.strip()


@pytest.mark.parametrize("bad", ["127.0.0.1:6379", "http://127.0.0.1:6379", "redis://", "unix://", 6379])
def test_anything_else_is_not_a_redis_url(bad):
    with pytest.raises(ConfigurationError, match="TWILIO_BULK_REDIS_URL is .*a Redis URL, e.g. redis://127.0.0.1"):
        Settings.from_mapping({"TWILIO_BULK_REDIS_URL": bad})


def test_a_redis_password_never_shows_in_the_settings_repr():
    settings = Settings.from_mapping({"TWILIO_BULK_REDIS_URL": "redis://worker:s3cret-pass@redis.internal:6379/0"})
    assert "s3cret-pass" not in repr(settings)
    assert "bulk_redis_url='redis://worker:********@redis.internal:6379/0'" in repr(settings)
    plain = Settings.from_mapping({"TWILIO_BULK_REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert "bulk_redis_url='redis://127.0.0.1:6379/0'" in repr(plain)
    assert "bulk_redis_url=None" in repr(Settings())


def test_a_wrong_redis_url_never_shows_its_password():
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_mapping({"TWILIO_BULK_REDIS_URL": "http://:hunter2hunter2@10.0.0.5:6379"})
    assert "hunter2" not in str(refused.value)


def test_flask_twilio_config_shows_the_bulk_backend_without_the_redis_password():
    from flask import Flask

    from flask_twilio_rb import TwilioRB

    app = Flask(__name__)
    app.config.update(TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_AUTH_TOKEN="t" * 32, TWILIO_BULK_BACKEND="celery",
                      TWILIO_BULK_REDIS_URL="redis://:hunter2hunter2@10.0.0.5:6379/1")
    TwilioRB(app)
    result = app.test_cli_runner().invoke(args=["twilio", "config"])
    assert "Bulk backend       celery, Redis at redis://:********@10.0.0.5:6379/1  (app config)" in result.output
    assert "hunter2" not in result.output


def test_a_value_that_is_no_url_at_all_is_masked_whole():
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_mapping({"TWILIO_BULK_REDIS_URL": "redis://[:secret@host"})
    assert "secret" not in str(refused.value) and "'********'" in str(refused.value)
