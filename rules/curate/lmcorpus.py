#!/usr/bin/env python3
"""Extracts the plain text the character model (rules/charlm.bin) is trained
on from two fetched repositories (see rules/SOURCES.md):

  python3 rules/curate/lmcorpus.py LAWS_GIT_DIR POLITICS_GIT_DIR OUT_DIR

LAWS_GIT_DIR is a git directory of LawRefBook/Laws: every law's Markdown
less front matter, comments and tables, and less every version of the 20
laws of the clean test sample (checks/testdata/corpus/lawrefbook_sample.md),
which the false-alarm test reads. POLITICS_GIT_DIR is a git directory of
aldohemsn/chinese-political-corpora: the government work reports (less
1954–1991, and less 2010–2016, a test corpus) and the Party congress reports.
"""
import json, os, re, subprocess, sys

laws, politics, out_dir = sys.argv[1:4]
SAMPLE = {'宪法', '国务院组织法', '地方各级人民代表大会和地方各级人民政府组织法', '立法法', '总则', '附则',
          '个人信息保护法', '保守国家秘密法', '公务员法', '国家通用语言文字法', '数据安全法', '档案法',
          '突发事件应对法', '网络安全法', '行政处罚法', '行政许可法', '优化营商环境条例', '信访工作条例',
          '政府信息公开条例', '重大行政决策程序暂行条例'}


def git(d, *args):
    return subprocess.run(['git', '--git-dir', d, *args], capture_output=True, check=True).stdout


with open(os.path.join(out_dir, 'laws.txt'), 'w', encoding='utf-8') as out:
    for p in git(laws, 'ls-tree', '-r', 'HEAD', '--name-only', '-z').decode().split('\0'):
        if not p.endswith('.md') or p.startswith('scripts') or '/' not in p:
            continue
        if re.sub(r'[(（].*[)）]', '', os.path.basename(p)[:-3]) in SAMPLE:
            continue
        for line in git(laws, 'show', 'HEAD:' + p).decode('utf-8', 'replace').split('\n'):
            s = line.strip()
            if s and not s.startswith(('---', '<!--', 'bookCollapse', 'draft:', '|')):
                out.write(s.lstrip('#').strip() + '\n')

with open(os.path.join(out_dir, 'politics.txt'), 'w', encoding='utf-8') as out:
    for name in ('government_work_reports.jsonl', 'cpc_congress_reports.jsonl'):
        for line in git(politics, 'show', 'HEAD:' + name).decode().splitlines():
            d = json.loads(line)
            y = d.get('year')
            if y and y.isdigit() and (int(y) < 1992 or 2010 <= int(y) <= 2016):
                continue
            out.write(d['content'] + '\n')
