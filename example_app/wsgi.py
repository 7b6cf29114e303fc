"""``flask --app example_app.wsgi run``."""
from example_app import create_app

app = create_app()
