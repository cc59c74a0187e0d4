#!/usr/bin/env python3
"""Writes rules/shapes.tsv: characters that share a phonetic component and so
look alike (很 银 狠 恨 根 跟 …), from the Unicode Character Database's
Unihan_DictionaryLikeData field kPhonetic (Casey's phonetic classes; Debian
package unicode-data, Unicode licence), restricted to the 8,105 characters of
rules/pinyin.tsv and to classes of 2–12 of them (a larger class is too loose
to say two of its characters look alike).

  python3 rules/curate/shapes.py /usr/share/unicode/Unihan_DictionaryLikeData.txt.bz2 rules/pinyin.tsv > rules/shapes.tsv
"""
import bz2, collections, sys

common = {l.split('\t')[0] for l in open(sys.argv[2], encoding='utf-8') if l.strip() and not l.startswith('#')}
classes = collections.defaultdict(set)
for line in bz2.open(sys.argv[1], 'rt', encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if len(f) != 3 or f[1] != 'kPhonetic':
        continue
    ch = chr(int(f[0][2:], 16))
    if ch not in common:
        continue
    for c in f[2].split():
        classes[c.rstrip('*x')].add(ch)
print('# Characters that share a phonetic component and look alike, one class a line: the typo detector')
print('# takes two characters of a class as confusable by shape. From Unihan_DictionaryLikeData kPhonetic')
print('# (Unicode Character Database, Debian unicode-data; Unicode licence): rules/curate/shapes.py. An')
print("# operator's shapes.tsv adds classes. class<TAB>characters")
for k in sorted(classes, key=lambda k: (int(''.join(c for c in k if c.isdigit()) or 0), k)):
    v = sorted(classes[k])
    if 2 <= len(v) <= 12:
        print(f'{k}\t{"".join(v)}')
