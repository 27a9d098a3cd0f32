"""The experiments of Hochreiter & Schmidhuber (1997) and two follow-ups, runnable as

    python -m lstm.experiments --list
    python -m lstm.experiments adding-100 --setting modern --seed 0 --json
"""
from .registry import EXPERIMENTS, SETTINGS, Experiment, Paper, score
from .runner import machine_info, run

__all__ = ["EXPERIMENTS", "SETTINGS", "Experiment", "Paper", "score", "run", "machine_info"]
