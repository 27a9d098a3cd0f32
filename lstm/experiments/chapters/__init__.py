"""The chapters' own experiments, one module per chapter, each used by its chapter and
by the script that precomputes its data:

    ch01_long_lag       chapter 1: a tanh RNN against the lag (scripts/ch01_long_lag.py)
    ch02_error_flow     chapter 2: the error flow of the 1997 analysis, the naive carousel
    ch03_value_recall   chapter 3: recalling a value across a lag (scripts/ch03_long_lag.py)
    ch07_family         chapter 7: the LSTM family by name (scripts/ablation.py)

The reproduction engine of chapter 8 (registry, runner, training, sweep, plans,
lockstep) is the rest of `lstm.experiments`.
"""
