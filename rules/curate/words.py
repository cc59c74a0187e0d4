#!/usr/bin/env python3
"""Writes rules/words.tsv, the word list of the typo detector, from jieba's
dictionary (Debian python3-jieba, /usr/lib/python3/dist-packages/jieba/dict.txt,
MIT/Expat licence): words of 1 to 6 Han characters seen at least 20 times in
jieba's corpus, with that count, less every wrong form of rules/typos.tsv and
rules/serious.tsv (jieba counts a few common misspellings as words).

  apt-get install python3-jieba
  python3 rules/curate/words.py /usr/lib/python3/dist-packages/jieba/dict.txt > rules/words.tsv
"""
import re, sys, os
here = os.path.dirname(os.path.abspath(__file__))
bad = set()
for fn in ('typos.tsv', 'serious.tsv'):
    for line in open(os.path.join(here, '..', fn), encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        bad.update(line.rstrip('\n').split('\t')[1].split('|'))
print('# The typo detector\'s word list: word<TAB>count. Derived by rules/curate/words.py from')
print('# jieba\'s dict.txt (fxsjy/jieba, Debian python3-jieba 0.42.1; MIT/Expat licence, Copyright (c)')
print('# 2013 Sun Junyi): words of 2-6 Han characters counted 20+ times, less the wrong forms of')
print('# typos.tsv and serious.tsv. An operator\'s words.tsv adds words (a district\'s place and unit names).')
for line in open(sys.argv[1], encoding='utf-8'):
    f = line.split()
    if len(f) < 2:
        continue
    w, n = f[0], int(f[1])
    if n < 20 or not 1 <= len(w) <= 6 or not re.fullmatch(r'[\u4e00-\u9fff]+', w) or w in bad:
        continue
    print(f'{w}\t{n}')
