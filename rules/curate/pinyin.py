#!/usr/bin/env python3
"""Writes rules/pinyin.tsv: the readings of the 8,105 characters of the
通用规范汉字表 (2013), from the Unicode Character Database's Unihan_Readings
(field kTGHZ2013; Debian package unicode-data, licence: Unicode, permissive).
The typo detector takes characters that share a reading (tones ignored) as
confusable: the commonest slip of a pinyin input method.

  python3 rules/curate/pinyin.py /usr/share/unicode/Unihan_Readings.txt.bz2 > rules/pinyin.tsv
"""
import bz2, re, sys

readings = {}
for line in bz2.open(sys.argv[1], 'rt', encoding='utf-8'):
    f = line.rstrip('\n').split('\t')
    if len(f) != 3 or f[1] != 'kTGHZ2013':
        continue
    ch = chr(int(f[0][2:], 16))
    rs = []
    for tok in f[2].split():
        r = tok.split(':')[-1]
        if r not in rs:
            rs.append(r)
    readings[ch] = rs
print('# Readings (with tones) of the 8,105 characters of the 通用规范汉字表 (2013), from Unihan_Readings')
print('# kTGHZ2013 (Unicode Character Database, Debian unicode-data; Unicode licence): rules/curate/pinyin.py.')
print('# The typo detector takes two characters sharing a reading, tones ignored, as confusable by sound.')
print('# An operator\'s pinyin.tsv adds readings. char<TAB>readings separated by spaces')
for ch in sorted(readings):
    print(f'{ch}\t{" ".join(readings[ch])}')
