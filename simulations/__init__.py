"""Teaching simulations built on one monitoring engine (``simulations.monitoring``).

Run them from the shell with ``python -m simulations list|describe|run`` or from Python
with ``simulations.registry.run_simulation(name, params, seed)``. Nothing in this package
imports ``quizapp`` or ``textual``.
"""
