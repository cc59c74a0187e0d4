package crawler

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/xunjian/xunjian/crawler/crawltest"
)

// hanRun is a run of Chinese characters: the unit the round trip checks.
var hanRun = regexp.MustCompile(`\p{Han}{2,}`)

var tags = regexp.MustCompile(`<[^>]*>`)

// Every page of every fixture world, whatever its encoding and however it
// is declared, decodes to text that encodes back to the bytes served: the
// stored title and every segment of text the checks quote from. A page
// decoded twice (mojibake) or with the wrong charset fails this.
func TestWorlds_TextDecodesBackToTheServedBytes(t *testing.T) {
	for _, name := range crawltest.Worlds() {
		t.Run(name, func(t *testing.T) {
			w := crawltest.Serve(t, name)
			type seen struct {
				fetch, title, enc, text string
			}
			var mu sync.Mutex
			var pages []seen
			res, err := New(testOptions()).Run(context.Background(), w.WWW+"/", func(p *Page) {
				mu.Lock()
				defer mu.Unlock()
				pages = append(pages, seen{p.FetchURL, p.Title, p.Encoding, p.Doc.Text})
			})
			if err != nil {
				t.Fatal(err)
			}
			encodings := map[string]int{}
			for _, p := range pages {
				encodings[p.enc]++
				resp, err := http.Get(p.fetch)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				encode := func(s string) string { return s }
				switch p.enc {
				case "gb18030":
					encode = func(s string) string {
						b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
						if err != nil {
							return "\x00unencodable"
						}
						return b
					}
				case "utf-8":
				default:
					t.Errorf("%s: encoding %q", p.fetch, p.enc)
				}
				// A page read in the wrong charset (GBK as windows-1252, say)
				// has no Chinese left: its served bytes must not be UTF-8
				// if it is said to be, and must show Chinese if it does.
				if p.enc == "utf-8" && !utf8.Valid(raw) {
					t.Errorf("%s: stored as UTF-8, served bytes are not", p.fetch)
				}
				if !hanRun.MatchString(p.title+p.text) && strings.IndexFunc(string(raw), func(r rune) bool { return r >= 0x80 }) >= 0 {
					t.Errorf("%s (%s): no Chinese left in %q", p.fetch, p.enc, p.title)
				}
				if strings.ContainsRune(p.title+p.text, '\uFFFD') {
					t.Errorf("%s: replacement characters in %q", p.fetch, p.title)
				}
				// Text runs on across inline elements (<span>来源：…</span><span>字号</span>):
				// compare with the served bytes without their tags and spaces (in
				// GBK no byte of a character is < or >).
				bare := strings.Join(strings.Fields(tags.ReplaceAllString(string(raw), "")), "")
				for _, run := range hanRun.FindAllString(p.title+"\n"+p.text, -1) {
					if !strings.Contains(string(raw), encode(run)) && !strings.Contains(bare, encode(run)) {
						t.Errorf("%s (%s): %q is not in the served bytes", p.fetch, p.enc, run)
						break
					}
				}
			}
			if len(pages) < 20 || res.Stats.Pages < 20 {
				t.Errorf("only %d pages checked", len(pages))
			}
			t.Logf("%s: %d pages round-tripped, encodings %v", name, len(pages), encodings)
		})
	}
}
