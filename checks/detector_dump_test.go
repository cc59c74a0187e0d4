package checks

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xunjian/xunjian/rules"
)

// cleanCorpora are the corpora of correct prose the checks are measured on.
var cleanCorpora = []string{"acc_rmrb_clean_sentences.txt", "gov_work_reports_2010_2016.txt", "lawrefbook_sample.md", "ecspell_policy_regulation_titles.txt"}

// TestDetectorFeatureDump writes, when XUNJIAN_DETECTOR_DUMP names a file,
// every change the typo detector weighs in ECSpell's training file and the
// clean corpora with its signals: the input of rules/curate/detector.py,
// which fits suspectModel. XUNJIAN_RULES_DIR tries another rules folder (a
// retrained charlm.bin).
func TestDetectorFeatureDump(t *testing.T) {
	out := os.Getenv("XUNJIAN_DETECTOR_DUMP")
	if out == "" {
		t.Skip("XUNJIAN_DETECTOR_DUMP not set")
	}
	set, err := rules.Load(os.Getenv("XUNJIAN_RULES_DIR"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	dump := func(src string, id int, text string, wrongAt map[int]rune) {
		for _, run := range rules.HanRuns(text) {
			base := len([]rune(text[:run[0]]))
			for _, c := range candidates(text, run, set) {
				label := 0
				if r, ok := wrongAt[base+c.i]; ok {
					label = 1
					if r == c.right {
						label = 2
					}
				}
				fmt.Fprintf(w, "%s\t%d\t%d\t%c\t%c\t%d\t%v", src, id, label, c.wrong, c.right, base+c.i, c.name)
				vals := c.f.values()
				for _, v := range vals[:8] {
					fmt.Fprintf(w, "\t%.3f", v)
				}
				fmt.Fprintln(w)
			}
		}
	}
	data, err := os.ReadFile(filepath.Join("testdata", "csc", "ecspell_odw.train.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	for id, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		fs := strings.Split(line, "\t")
		wr, rr := []rune(fs[1]), []rune(fs[2])
		wrongAt := map[int]rune{}
		if len(wr) == len(rr) {
			for i := range wr {
				if wr[i] != rr[i] {
					wrongAt[i] = rr[i]
				}
			}
		}
		dump("odw", id, fs[1], wrongAt)
	}
	for _, name := range cleanCorpora {
		data, err := os.ReadFile(filepath.Join("testdata", "corpus", name))
		if err != nil {
			t.Fatal(err)
		}
		for id, line := range strings.Split(string(data), "\n") {
			dump(name[:4], id, line, nil)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
