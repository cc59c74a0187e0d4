package checks

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The errors issue 13 lists as missed, each in a sentence beside its
// correction: every wrong sentence draws a typo or serious-error finding,
// no corrected one draws anything at all.
func TestPublishedErrorExamples(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "published", "issue_examples.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	set := corpusRules(t)
	found, total := 0, 0
	for n, line := range strings.Split(string(data), "\n") {
		f := strings.Split(line, "\t")
		if strings.HasPrefix(line, "#") || len(f) != 3 {
			continue
		}
		total++
		var got []string
		for _, fd := range Wording(f[1], "x", time.Time{}, set) {
			if fd.Category == Typo || fd.Category == SeriousError {
				got = append(got, fd.Message)
			}
		}
		if len(got) > 0 {
			found++
		} else {
			t.Logf("line %d: missed in %s", n+1, f[1])
		}
		if fs := Wording(f[2], "x", time.Time{}, set); len(fs) > 0 {
			t.Errorf("line %d: the corrected sentence %s drew %+v", n+1, f[2], fs)
		}
	}
	t.Logf("found %d of %d", found, total)
	if total == 0 || found < total {
		t.Errorf("found %d of %d: every example is one the checks find today", found, total)
	}
}
