"""``python -m benchmarks``: the benchmark report (see benchmarks/run.py)."""
from .run import main

main()
