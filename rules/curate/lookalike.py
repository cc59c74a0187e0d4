#!/usr/bin/env python3
"""Prints single-character confusion pairs (形近字/音近字) for rules/lookalike.tsv:
characters swapped in two or more one-character wrong/right word pairs of
macro-correct's confusion dictionary (yongzhuo/macro-correct @ abdf4068,
Apache-2.0) and pycorrector's custom confusion list (shibing624/pycorrector
@ fc8aa56c, Apache-2.0), both in ../shared/data/lexicons.

  python3 rules/curate/lookalike.py MACRO.json PYCORRECTOR.tsv

It prints the derived pairs only: rules/lookalike.tsv keeps, after them, a
hand-kept section (notes starting hand / typos / ecspell) to carry over.
"""
import collections, json, sys
pairs = collections.Counter()
def add(w, r):
    if len(w) != len(r) or w == r:
        return
    diff = [(a, b) for a, b in zip(w, r) if a != b]
    if len(diff) == 1:
        pairs[tuple(sorted(diff[0]))] += 1
for w, r in json.load(open(sys.argv[1], encoding='utf-8')).items():
    add(w, r)
for line in open(sys.argv[2], encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if len(f) >= 2:
        add(f[0], f[1])
for (a, b), n in sorted(pairs.items()):
    if n >= 2 and '\u4e00' <= a <= '\u9fff' and '\u4e00' <= b <= '\u9fff':
        print(f'{a}\t{b}\tconfusion {n}')
