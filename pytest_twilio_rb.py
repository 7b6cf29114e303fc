"""pytest plugin of flask-twilio-rb, registered through the ``pytest11`` entry point.

It lives outside the package on purpose: pytest loads entry-point plugins before
pytest-cov starts measuring, so this module imports ``flask_twilio_rb`` only inside
the fixtures, keeping the package's own import measured like any other code.
"""
