"""``python -m flask_twilio_rb.emulator``: serve the local Twilio emulator, no app needed."""
from .command import main

if __name__ == "__main__":  # pragma: no cover - run in a subprocess by tests/cli/test_cli_emulator.py
    main(prog_name="python -m flask_twilio_rb.emulator")
