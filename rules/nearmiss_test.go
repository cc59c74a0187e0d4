package rules

import (
	"strings"
	"testing"
)

// Each near miss beside its correct form: the wrong one is found with the
// term it misspells, the right one (and its correct neighbours) never.
func TestNearMisses(t *testing.T) {
	set, err := Load("testdata/near")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text, found, term string // found "" when nothing must be found
	}{
		{"区人民检查院开展检察开放日活动", "检查院", "检察院"},
		{"区人民检察院开展检察开放日活动", "", ""},
		{"检查院落卫生，检查院内设施", "", ""}, // 院落, 院内: correct words
		{"人民法庭受理案件", "", ""},
		// 中共人民共和国 is serious.tsv's S002: 中共 is a word, so the near
		// miss alone stays quiet.
		{"中华人民共和国国务院", "", ""},
		{"深入学习贯彻习近平近新时代中国特色社会主义思想", "习近平近新时代中国特色社会主义思想", "习近平新时代中国特色社会主义思想"},
		{"深入学习贯彻习近平新时代中国特色社会主义思想", "", ""},
		{"以习近平新中国特色社会主义思想为指导", "", ""}, // two edits away: not this term's near miss
		{"习近乎总书记指出", "习近乎", "习近平"},
		{"认真学习近期文件", "", ""},
		{"常态化开展扫黑险恶斗争", "扫黑险恶", "扫黑除恶"},
		{"成立工作领导小姐", "领导小姐", "领导小组"},
		{"成立工作领导小组", "", ""},
		{"中国共产党员要带头", "", ""},
		{"中国共产主义青年团", "", ""}, // the term cut short is another name
		{"中国共产觉", "中国共产觉", "中国共产党"},
		{"中国产共党", "中国产共党", "中国共产党"}, // a swap across the halves' border
		// Correct local phrases one edit from a term.
		{"全市人大代表视察工作", "", ""},
		{"坚持以市民为中心", "", ""},
		{"督导组检查院长值班制度落实情况", "", ""},
		{"公益诉讼检察完成立案32件", "", ""},
		{"这是个意识问题", "", ""},
		{"在区人民法院和中，人民检察院", "", ""}, // a comma is no misspelling
	}
	for _, tt := range tests {
		got := set.NearMisses(tt.text)
		switch {
		case tt.found == "" && len(got) > 0:
			t.Errorf("%s: found %q (%s), want nothing", tt.text, got[0].Found, got[0].Protected.Term)
		// The embedded terms load too: a longer one may hold the test's
		// (人民检察院 around 检察院).
		case tt.found != "" && (len(got) != 1 || !strings.Contains(got[0].Found, tt.found) || !strings.Contains(got[0].Protected.Term, tt.term)):
			t.Errorf("%s: %+v, want %s for %s", tt.text, got, tt.found, tt.term)
		case tt.found != "" && tt.text[got[0].Start:got[0].End] != got[0].Found:
			t.Errorf("%s: offsets %d-%d", tt.text, got[0].Start, got[0].End)
		}
	}
}

func TestParseProtected_Errors(t *testing.T) {
	_, errs := parseProtected([]byte("P1\t党\tparty\nP2\t国务院\tnone\nP2\t国务院\torgan\nP2\t全国人大\torgan\n"), "p.tsv")
	msg := errs.Error()
	for _, want := range []string{"p.tsv:1: term", "p.tsv:2: class", "p.tsv:4: term id P2 is also used on line 2"} {
		if !strings.Contains(msg, want) {
			t.Errorf("errors %q lack %q", msg, want)
		}
	}
}

func TestOSA(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"检察院", "检查院", 1}, {"abc", "acb", 1}, {"abc", "abcd", 1}, {"abc", "ab", 1}, {"abc", "abc", 0}, {"abcd", "badc", 2}, {"abc", "xyz", 2}} {
		if got := osa([]rune(tt.a), []rune(tt.b)); got != tt.d {
			t.Errorf("osa(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.d)
		}
	}
}

// The district's leaders from the configuration: a name or a title with
// the name one look-alike character off is a near miss.
func TestWithProtected_Leaders(t *testing.T) {
	base, err := Load("testdata/near")
	if err != nil {
		t.Fatal(err)
	}
	set := base.WithLeaders([]Leader{{Name: "张建华", Titles: []string{"区委书记"}}, {Name: "李明"}})
	if len(base.NearMisses("区委书记张建化")) != 0 {
		t.Errorf("the base set changed")
	}
	for text, want := range map[string]string{
		"区委书记张建化主持会议": "张建化", "张建化同志指出": "张建化", "区委书记张建华主持会议": "", "张建国同志": "", "李朋同志": "",
	} {
		got := set.NearMisses(text)
		switch {
		case want == "" && len(got) > 0:
			t.Errorf("%s: %+v", text, got)
		case want != "" && (len(got) != 1 || !strings.Contains(got[0].Found, want)):
			t.Errorf("%s: %+v, want %s", text, got, want)
		}
	}
}

// A configured leader's name after another leader's title is a mismatch;
// after their own title (also inside a longer own title) it is not.
func TestMismatches(t *testing.T) {
	set, err := Load("testdata/near")
	if err != nil {
		t.Fatal(err)
	}
	set = set.WithLeaders([]Leader{{Name: "王建国", Titles: []string{"区委书记"}}, {Name: "李明华", Titles: []string{"区委副书记", "区长"}},
		{Name: "赵刚强", Titles: []string{"常务副区长"}}})
	for text, want := range map[string]string{
		"区长王建国出席会议":         "区长王建国",
		"区委书记王建国、区长李明华出席会议": "",
		"区委书记李明华主持会议":       "区委书记李明华",
		"常务副区长赵刚强通报情况":      "",
		"区委副书记、区长李明华":       "",
		"区长赵刚强强调":           "区长赵刚强",
	} {
		got := set.Mismatches(text)
		switch {
		case want == "" && len(got) > 0:
			t.Errorf("%s: %+v", text, got)
		case want != "" && (len(got) != 1 || text[got[0].Start:got[0].End] != want):
			t.Errorf("%s: %+v, want %s", text, got, want)
		}
	}
}

// Hand-edited files: a byte-order mark, an overlong line, an empty word.
func TestParse_HandEditedFiles(t *testing.T) {
	words := map[string]int32{}
	if errs := parseWords([]byte("\ufeff青溪镇\t500\n"), "w.tsv", words); len(errs) != 0 || words["青溪镇"] != 500 {
		t.Errorf("BOM: %v %v", errs, words)
	}
	long := "青溪镇\t500\n" + strings.Repeat("长", 1<<20) + "\t1\n东湖街道\t9\n"
	errs := parseWords([]byte(long), "w.tsv", map[string]int32{})
	if len(errs) == 0 || !strings.Contains(errs.Error(), "w.tsv:2") {
		t.Errorf("overlong line: %v", errs)
	}
	if errs := parseWords([]byte("  \t5\n"), "w.tsv", map[string]int32{}); len(errs) != 1 {
		t.Errorf("empty word: %v", errs)
	}
	if _, errs := parseProtected([]byte("\ufeff# comment\nP1\t检察院\torgan\n"), "p.tsv"); len(errs) != 0 {
		t.Errorf("BOM before a comment: %v", errs)
	}
}
