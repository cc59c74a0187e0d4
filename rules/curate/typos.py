#!/usr/bin/env python3
"""Prints candidate typo pairs (wrong -> right) from macro-correct's confusion
dictionary, vetted against clean official prose: the right form must occur
in the corpus (so it is a word official documents use), the wrong form must
not (so matching it cannot flag correct text there), both have 4+
characters and differ in exactly one. rules/typos.tsv takes these after a
manual look, plus hand-written pairs.

  python3 rules/curate/typos.py DICT.json CORPUS_FILE...
"""
import json, sys
pairs = json.load(open(sys.argv[1], encoding='utf-8'))
corpus = ''.join(open(f, encoding='utf-8').read() for f in sys.argv[2:])
out = []
for wrong, right in pairs.items():
    if len(wrong) != len(right) or len(wrong) < 4 or wrong == right:
        continue
    if sum(a != b for a, b in zip(wrong, right)) != 1:
        continue
    if right in corpus and wrong not in corpus:
        out.append((wrong, right))
for w, r in sorted(out, key=lambda p: p[1]):
    print(f'{w}\t{r}')
