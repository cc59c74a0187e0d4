#!/usr/bin/env python3
"""Fits the typo detector's weights (checks/spell.go, suspectModel).

The positives are the wrong characters of ECSpell's official-document
training file (checks/testdata/csc/ecspell_odw.train.tsv; never its test
split); the negatives are every change the detector would weigh in the
clean corpora (checks/testdata/corpus). A logistic regression, the positives
weighted to balance the classes, fitted on the even lines and measured on
the odd ones and the other way round, then fitted on all of it.

  XUNJIAN_DETECTOR_DUMP=/tmp/feat.tsv go test ./checks -run TestDetectorFeatureDump -count=1
  python3 rules/curate/detector.py /tmp/feat.tsv

prints the cross-validated figures and the Go weights to paste.
"""
import collections, math, sys

ROOT = 'checks/testdata/'
CORPORA = ['acc_rmrb_clean_sentences.txt', 'gov_work_reports_2010_2016.txt',
           'lawrefbook_sample.md', 'ecspell_policy_regulation_titles.txt']

rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1], encoding='utf-8')]
odw = [l.rstrip('\n').split('\t') for l in open(ROOT + 'csc/ecspell_odw.train.tsv', encoding='utf-8')]
sizes = {}
for name in CORPORA:
    lines = open(ROOT + 'corpus/' + name, encoding='utf-8').read().split('\n')
    sizes[name[:4]] = [sum(len(l) for i, l in enumerate(lines) if i % 2 == h) for h in (0, 1)]


def vec(r):
    # The order of checks/spell.go: features, then the derived ones.
    lm, seg, ww, rw, pw, pr, wf, rf = (float(x) for x in r[7:15])
    return [lm, seg, ww, rw, pw, pr, wf, rf,
            lm * (rw > 0), seg * (ww == 0), float(ww == 0 and rw > 0), lm * (ww == 0),
            float(pw == 0), lm * (pw == 0), min(lm, 20), max(0, rw - ww)]


def data(half=None):
    out = []
    for r in rows:
        if r[6] == 'true' or (r[0] == 'odw' and r[2] == '0'):
            continue  # a name: never reported; a right character of a wrong sentence
        if half is not None and int(r[1]) % 2 != half:
            continue
        out.append((vec(r), 1 if r[0] == 'odw' else 0))
    return out


def fit(train, epochs=300, rate=0.3):
    n = len(train[0][0])
    mu = [sum(v[j] for v, _ in train) / len(train) for j in range(n)]
    sd = [max(1e-6, (sum((v[j] - mu[j]) ** 2 for v, _ in train) / len(train)) ** .5) for j in range(n)]
    X = [([(v[j] - mu[j]) / sd[j] for j in range(n)] + [1.0], y) for v, y in train]
    pos = sum(y for _, y in X)
    pw = (len(X) - pos) / max(pos, 1)
    w = [0.0] * (n + 1)
    for _ in range(epochs):
        g = [0.0] * (n + 1)
        for x, y in X:
            s = sum(a * b for a, b in zip(w, x))
            p = 1 / (1 + math.exp(-max(-30, min(30, s))))
            e = (p - y) * (pw if y else 1)
            for j in range(n + 1):
                g[j] += e * x[j]
        w = [wj - rate * gj / len(X) for wj, gj in zip(w, g)]
    weights = [w[j] / sd[j] for j in range(n)]
    bias = w[n] - sum(w[j] * mu[j] / sd[j] for j in range(n))
    return bias, weights


def evaluate(bias, weights, half, thresholds):
    wrong = {i for i, f in enumerate(odw) if f[0] != '0' and i % 2 == half}
    scored = [(bias + sum(a * v for a, v in zip(weights, vec(r))), r)
              for r in rows if r[6] != 'true' and int(r[1]) % 2 == half]
    chars = sum(s[half] for s in sizes.values())
    for t in thresholds:
        flagged, fps = set(), collections.Counter()
        for s, r in scored:
            if s >= t:
                if r[0] == 'odw':
                    flagged.add(int(r[1]))
                else:
                    fps[r[0]] += 1
        tp = len(flagged & wrong)
        print(f'  confidence {1 / (1 + math.exp(-t)):.3f}: precision {tp / max(1, len(flagged)):.2f} '
              f'recall {tp / len(wrong):.3f}, false alarms {sum(fps.values()) * 1e5 / chars:.2f}/100k {dict(fps)}')


ts = [2.0, 2.5, 3.0, 3.5, 4.0]
for half in (0, 1):
    b, w = fit(data(half))
    print(f'fitted on the {"even" if half == 0 else "odd"} lines, measured on the others:')
    evaluate(b, w, 1 - half, ts)
b, w = fit(data())
print('\nvar suspectModel = struct {\n\tbias    float64\n\tweights [16]float64\n}{%.4f, [16]float64{%s}}'
      % (b, ', '.join('%.4f' % x for x in w)))
