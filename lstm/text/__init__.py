"""Character-level language modelling: corpora, n-gram baselines, the forum's network
of random FSMs, and character LSTMs/GRUs, all scored in bits per character.

    corpus = load_corpus("book/data/text/python_reference.txt")   # vocab + 90/5/5 split
    kn = KneserNey(order=5, vocab_size=corpus.vocab.size).fit(corpus.train)
    kn.bits_per_char(corpus.test)
    model = make_char_model(corpus.vocab.size, 128, "lstm", rng)
    run = train_char_model(model, corpus.train, corpus.valid, TrainConfig(chars=10**6), rng)
    print(sample(model, corpus.vocab, 200, temperature=0.8, rng=rng))

Bits per character is the mean of -log2 p(next character), the code length an
arithmetic coder driven by the model would need; a model that knows nothing (uniform
over V characters) scores log2 V.
"""
from .corpus import Corpus, Vocabulary, bits_per_char, load_corpus, one_hot, split_by_position, windows
from .ngram import KneserNey
from .fsm_readout import FSMReadoutResult, fsm_features, softmax_readout_loss, squared_readout_loss, train_fsm_readout
from .charlm import (TrainConfig, TrainResult, char_probabilities, evaluate_bpc, bpc_with_context, make_char_model, next_char_logits,
                     train_char_model)
from .sampling import sample
from .probes import FEATURE_NAMES, correlate_cells, text_features

__all__ = [
    "Corpus", "Vocabulary", "bits_per_char", "load_corpus", "one_hot", "split_by_position", "windows",
    "KneserNey",
    "FSMReadoutResult", "fsm_features", "softmax_readout_loss", "squared_readout_loss", "train_fsm_readout",
    "TrainConfig", "TrainResult", "char_probabilities", "evaluate_bpc", "bpc_with_context", "make_char_model", "next_char_logits",
    "train_char_model",
    "sample",
    "FEATURE_NAMES", "correlate_cells", "text_features",
]
