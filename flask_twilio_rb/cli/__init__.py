"""The ``flask twilio`` commands.

``TwilioRB(app)`` adds them to ``app.cli``, and the ``flask.commands`` entry point adds them
to every ``flask`` command line, so ``flask twilio`` also works for an app that configures
Twilio through the environment only. Flask imports this package for every ``flask``
invocation (``flask run`` included), so its modules import resources, Jinja templates and
HTTP clients inside the commands, never at import time.

* :mod:`.group`: the group, and Twilio errors turned into exit codes (1, or 2 for configuration);
* :mod:`.options`: parameter types (dates, SIDs, ``key=value``) and the shared list options;
* :mod:`.output`: tables, streamed JSON and CSV, and the progress bar of exports;
* :mod:`.rest`: commands that call Twilio's REST API (config, sms, call, numbers);
* :mod:`.local`: commands that work locally (token, twiml, webhook, routes, emulator);
* :mod:`.bulk`: ``sms bulk`` from a CSV and ``bulk status``;
* :mod:`.export`: ``export messages|calls`` to a CSV or JSON Lines file, resumable;
* :mod:`.phone`: ``phone``, an offline phone that calls the app through the emulator.
"""
from __future__ import annotations

from . import bulk, export, local, phone, rest  # noqa: F401  (each module adds its commands to the group)
from .group import twilio_cli

__all__ = ["twilio_cli"]
