package rules

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoad_Defaults(t *testing.T) {
	s, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	counts := map[Kind]int{}
	for _, r := range s.Rules {
		counts[r.Kind]++
	}
	if counts[Typo] < 200 || counts[Serious] < 20 || counts[Obsolete] < 40 || counts[Law] < 40 || counts[Sensitive] < 10 {
		t.Errorf("rule counts %v", counts)
	}
	if len(s.Version) != 8 {
		t.Errorf("version %q", s.Version)
	}
	hits := s.Match("依据《中华人民共和国合同法》和《劳动合同法》，督促企业按装监控，区安监局")
	var got []string
	for _, h := range hits {
		got = append(got, h.Rule.ID+":"+h.Term)
	}
	if len(got) != 3 || !strings.HasPrefix(got[0], "L") || !strings.Contains(got[1], "按装") || !strings.Contains(got[2], "区安监局") {
		t.Errorf("hits %v", got)
	}
}

func TestLoad_OverrideAndAllow(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "typos.tsv"), []byte("# 本区补充\nT001\t安裝\t安装\nX001\t青溪县\t青溪区\t\t区划调整\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "allow.tsv"), []byte("既使\nyyy\thttp://x/a.html\n"), 0o644)
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var t001 *Rule
	for i := range s.Rules {
		if s.Rules[i].ID == "T001" {
			t001 = &s.Rules[i]
		}
	}
	if t001 == nil || t001.Terms[0] != "安裝" {
		t.Errorf("T001 not replaced: %+v", t001)
	}
	if len(s.Match("青溪县人民政府")) != 1 {
		t.Error("added rule does not match")
	}
	if !s.Allowed("既使", "http://any/") || !s.Allowed("yyy", "http://x/a.html") || s.Allowed("yyy", "http://x/b.html") {
		t.Error("allowlist")
	}
}

func TestLoad_BadLinesNameFileAndLine(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "typos.tsv"), []byte("T1\t按装\n\nT2\t按装\t按装\nT3\t a\tb\nT3\tc\td\nT 4\te\tf\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "obsolete.tsv"), []byte("O1\t旧局\t新局\t2019-13-01\nO2\t旧局\t新局\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "allow.tsv"), []byte("a\tb\tc\n"), 0o644)
	err := Check(dir)
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"typos.tsv:1: expected 3 to 5 tab-separated fields",
		"typos.tsv:3: rule T2: the term and the correction are the same",
		"typos.tsv:5: rule id T3 is also used on line 4",
		`typos.tsv:6: rule id "T 4" must be a word`,
		`obsolete.tsv:1: rule O1: "2019-13-01" is not a date`,
		"obsolete.tsv:2: rule O2 needs the date",
		"allow.tsv:1: expected a term",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("errors lack %q:\n%s", want, err)
		}
	}
}

// TestMatch_AgainstBruteForce compares the automaton with a plain search
// for the longest term at each position, on random texts over a small
// alphabet where terms nest and overlap.
func TestMatch_AgainstBruteForce(t *testing.T) {
	alphabet := []rune("安装按既使即合同法劳")
	rng := rand.New(rand.NewPCG(1, 2))
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteRune(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 3000 {
		set := &Set{}
		seen := map[string]bool{}
		for len(set.Rules) < 12 {
			w := word(1 + rng.IntN(4))
			if !seen[w] {
				seen[w] = true
				set.Rules = append(set.Rules, Rule{ID: w, Terms: []string{w}, Right: "x"})
			}
		}
		set.compile()
		text := word(60)
		got := set.Match(text)
		want := bruteForce(set, text)
		if len(got) != len(want) {
			t.Fatalf("round %d: %d hits, brute force %d (text %s)", round, len(got), len(want), text)
		}
		for i := range got {
			if got[i].Start != want[i].Start || got[i].End != want[i].End {
				t.Fatalf("round %d hit %d: %+v, want %+v", round, i, got[i], want[i])
			}
		}
	}
}

func bruteForce(s *Set, text string) []Hit {
	var out []Hit
	for i := 0; i < len(text); {
		best := -1
		for _, p := range s.patterns {
			if strings.HasPrefix(text[i:], p) && len(p) > best {
				best = len(p)
			}
		}
		if best > 0 {
			out = append(out, Hit{Start: i, End: i + best})
			i += best
			continue
		}
		i++
	}
	return out
}

func FuzzMatch(f *testing.F) {
	s, err := Load("")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("督促企业按装监控，依据《合同法》")
	f.Fuzz(func(t *testing.T, text string) {
		end := 0
		for _, h := range s.Match(text) {
			if h.Start < end || h.End > len(text) || text[h.Start:h.End] != h.Term {
				t.Fatalf("bad hit %+v in %q", h, text)
			}
			end = h.End
		}
	})
}
