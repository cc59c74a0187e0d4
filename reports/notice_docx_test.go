package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gomutex/godocx/packager"
	"github.com/gomutex/godocx/wml/ctypes"
	"github.com/xunjian/xunjian/attachment"
	"github.com/xunjian/xunjian/checks"
)

// hostile is evidence a page could carry: markup, a CDATA end, control
// characters XML 1.0 cannot hold, a lone byte that is not UTF-8.
const hostile = "<w:p>正文]]>&amp;\x00\x01\x08\x0b\x0c\x1f\"'\xff\uFFFE尾"

// sampleNotice is the sample district's 通报: one site, three accounts,
// four categories, five units, thirty days of trend.
func sampleNotice() Notice {
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 9, 30, 0, 0, shanghai) }
	n := Notice{
		Title:      "青溪区政府网站与政务新媒体检查情况通报",
		DocNumber:  "青政办〔2026〕12号",
		Recipients: "各街道办事处，区政府各部门：",
		Issuer:     "青溪区人民政府办公室",
		Contact:    "联系人：李明，电话：0571-12345678",
		Date:       day(12, 5),
		Period: Period{Label: "2026年11月", Key: "2026-11",
			From: time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai), To: time.Date(2026, 12, 1, 0, 0, 0, 0, shanghai)},
		Overview: Overview{Sites: 1, Accounts: 3, Pages: 4321, Scans: 34, Found: 57, Fixed: 41, Open: 23, Score: 87.5, Failed: 1},
		Deadline: day(12, 15),
	}
	n.Scores = []Scorecard{
		{Target: "青溪区人民政府门户网站", Kind: "site", Owner: "区政府办公室", Score: 87.5, Manual: 25, Health: 54, Failed: true,
			Vetoes: []VetoItem{
				{Name: "站点无法访问", State: VetoFailed, Evidence: "近 7 天探测 336 次，失败 19 次（5.7%，否决线 5%）", Issues: 1},
				{Name: "首页不更新", State: VetoMet, Evidence: "首页 2 周内有更新"},
				{Name: "栏目不更新", State: VetoRisk, Evidence: "更新不及时栏目 4/5，长期未更新栏目 0/10，空白栏目 1/5", Issues: 5},
				{Name: "服务不实用", State: VetoManual, Evidence: "办事指南要素与在线办理由人工评估"},
			}},
		{Target: "青溪发布", Kind: "account", Owner: "区委宣传部", Score: 95, Manual: 30, Health: 90,
			Vetoes: []VetoItem{{Name: "内容不更新", State: VetoRisk, Evidence: "接近 2 周无新发布（预警）", Issues: 1}}},
		{Target: "青溪教育", Kind: "account", Owner: "区教育局", Score: 100, Manual: 30, Health: 100,
			Vetoes: []VetoItem{{Name: "内容不更新", State: VetoMet, Evidence: "2 周内有发布"}}},
		{Target: "青溪市场监管", Kind: "account", Owner: "区市场监督管理局", Score: 99.5, Manual: 30, Health: 100},
	}
	n.Problems = []CategoryProblems{
		{Category: checks.DeadLink, Count: 12, Examples: []Example{
			{Unit: "区教育局", Target: "青溪区人民政府门户网站", Title: "招生政策解读", URL: "http://www.qxq.gov.cn/jyj/zsjd.html",
				Evidence: "链接“报名入口”（http://www.qxq.gov.cn/bm/）无法访问：HTTP 404", FirstSeen: day(11, 3)},
			{Unit: "区卫健局", Target: "青溪区人民政府门户网站", Title: "", URL: "http://www.qxq.gov.cn/wjj/",
				Evidence: "链接“健康科普”超时", FirstSeen: day(11, 20)},
		}},
		{Category: checks.StaleColumn, Count: 5, Examples: []Example{
			{Unit: "区市场监督管理局", Target: "青溪区人民政府门户网站", Title: "通知公告", URL: "http://www.qxq.gov.cn/scjg/tzgg/",
				Evidence: "已 201 天未更新，通知公告、政策文件类栏目要求 6 个月内更新", FirstSeen: day(10, 28)},
		}},
		{Category: checks.Typo, Count: 4, Examples: []Example{
			{Unit: "区住建局", Target: "青溪发布", Title: "关于老旧小区改造的<通知>", URL: "http://www.qxq.gov.cn/zjj/a.html?x=1&y=2",
				Evidence: hostile, FirstSeen: day(11, 25)},
		}},
		{Category: checks.PrivacyLeak, Count: 2, Examples: []Example{
			{Unit: "区民政局", Target: "青溪区人民政府门户网站", Title: "低保公示", URL: "http://www.qxq.gov.cn/mzj/dbgs.html",
				Evidence: "身份证号 330106********1234 未脱敏\n（共 3 处）", FirstSeen: day(11, 12)},
		}},
	}
	n.Units = []UnitRank{
		{Rank: 1, Unit: "区教育局", Open: 8, Overdue: 3, Found: 10, Fixed: 4, FixRate: 0.4, MedianDays: 6.5, Vetoes: 1, PrevRank: 3, OpenChange: 2},
		{Rank: 2, Unit: "区市场监督管理局", Open: 6, Overdue: 2, Found: 7, Fixed: 5, FixRate: 0.625, MedianDays: 3, Vetoes: 0, PrevRank: 1, OpenChange: -1, OverdueChange: 1},
		{Rank: 3, Unit: "区住建局", Open: 4, Overdue: 0, Found: 4, Fixed: 0, FixRate: 0, Vetoes: 0},
		{Rank: 4, Unit: "区民政局", Open: 3, Found: 5, Fixed: 4, FixRate: 0.8, MedianDays: 1.5, PrevRank: 4},
		{Rank: 5, Unit: "区卫健局", Open: 2, Found: 2, Fixed: 1, FixRate: 0.5, MedianDays: 12, PrevRank: 2, OpenChange: -4},
	}
	for i := range 30 {
		n.Trend = append(n.Trend, TrendPoint{Day: n.Period.From.AddDate(0, 0, i), Health: 60 + (i*7)%25, Score: 80})
	}
	return n
}

// docxParts unzips a document: part name → bytes, in the zip's order.
func docxParts(t testing.TB, doc []byte) (map[string][]byte, []string) {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string][]byte{}
	var names []string
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
		names = append(names, f.Name)
	}
	return parts, names
}

// The unzipped XML parts match the golden files (go test ./reports
// -update rewrites them); the charts, whose pixels depend on the fonts,
// are checked for being PNG images only. The golden document is drawn
// without a CJK font, the same on every machine.
func TestWriteNoticeDOCX_Golden(t *testing.T) {
	var b bytes.Buffer
	if err := writeNotice(&b, sampleNotice(), ""); err != nil {
		t.Fatal(err)
	}
	parts, names := docxParts(t, b.Bytes())
	if *update {
		if err := os.MkdirAll(filepath.Join("testdata", "notice"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	var listing strings.Builder
	for _, name := range names {
		fmt.Fprintln(&listing, name)
		if strings.HasSuffix(name, ".png") {
			checkPNG(t, name, parts[name])
			continue
		}
		golden(t, "notice/"+strings.NewReplacer("/", "_", "[", "", "]", "").Replace(name), parts[name])
	}
	golden(t, "notice/parts.txt", []byte(listing.String()))
	if n := strings.Count(listing.String(), ".png"); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
}

func checkPNG(t *testing.T, name string, b []byte) {
	t.Helper()
	if len(b) == 0 || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("%s: not a PNG (%d bytes)", name, len(b))
		return
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width > 1200 || cfg.Height > 600 || cfg.Width == 0 {
		t.Errorf("%s: %+v, %v", name, cfg, err)
	}
}

// readDOCX reads a document as Word would begin to: every XML part
// parses, every relationship leads to a part, every part has a content
// type, every r:id and r:embed of the document is a relationship. It
// returns the text of document.xml's paragraphs (w:t, a w:br as a line
// break), one per paragraph or table cell.
func readDOCX(t testing.TB, doc []byte) []string {
	t.Helper()
	parts, names := docxParts(t, doc)
	if len(names) == 0 || names[0] != "[Content_Types].xml" {
		t.Errorf("first part %q, want [Content_Types].xml", names)
	}
	for name, b := range parts {
		if strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") {
			if err := wellFormed(b); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}
	}

	// Content types: an Override per part or a Default for its extension.
	var types struct {
		Defaults []struct {
			Extension string `xml:",attr"`
		} `xml:"Default"`
		Overrides []struct {
			PartName string `xml:",attr"`
		} `xml:"Override"`
	}
	if err := xml.Unmarshal(parts["[Content_Types].xml"], &types); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if name == "[Content_Types].xml" {
			continue
		}
		typed := slices.ContainsFunc(types.Overrides, func(o struct {
			PartName string `xml:",attr"`
		}) bool {
			return o.PartName == "/"+name
		}) || slices.ContainsFunc(types.Defaults, func(d struct {
			Extension string `xml:",attr"`
		}) bool {
			return strings.EqualFold(d.Extension, path.Ext(name)[1:])
		})
		if !typed {
			t.Errorf("%s has no content type", name)
		}
	}
	for _, o := range types.Overrides {
		if parts[strings.TrimPrefix(o.PartName, "/")] == nil {
			t.Errorf("content type for %s, which is not in the package", o.PartName)
		}
	}

	// Relationships resolve, relative to the part's folder.
	ids := map[string]bool{}
	for name, b := range parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		var rels struct {
			Rel []struct {
				ID     string `xml:"Id,attr"`
				Target string `xml:",attr"`
				Mode   string `xml:"TargetMode,attr"`
			} `xml:"Relationship"`
		}
		if err := xml.Unmarshal(b, &rels); err != nil {
			t.Fatal(err)
		}
		base := path.Dir(path.Dir(name)) // word/_rels/document.xml.rels → word
		for _, r := range rels.Rel {
			target := path.Join(base, r.Target)
			if r.Mode != "External" && parts[target] == nil {
				t.Errorf("%s: %s → %s, which is not in the package", name, r.ID, target)
			}
			if name == "word/_rels/document.xml.rels" {
				ids[r.ID] = true
			}
		}
	}
	if parts["word/document.xml"] == nil || parts["_rels/.rels"] == nil {
		t.Fatal("no word/document.xml or _rels/.rels")
	}

	// The document's text, and its references.
	var paras []string
	var cur strings.Builder
	dec := xml.NewDecoder(bytes.NewReader(parts["word/document.xml"]))
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			for _, a := range tok.Attr {
				if a.Name.Space == nsR && !ids[a.Value] {
					t.Errorf("%s r:%s=%q is no relationship", tok.Name.Local, a.Name.Local, a.Value)
				}
			}
			switch tok.Name.Local {
			case "t":
				inText = true
			case "br":
				cur.WriteByte('\n')
			case "p":
				cur.Reset()
			}
		case xml.EndElement:
			switch tok.Name.Local {
			case "t":
				inText = false
			case "p":
				paras = append(paras, cur.String())
			}
		case xml.CharData:
			if inText {
				cur.Write(tok)
			}
		}
	}
	return paras
}

// wellFormed reads b to the end with encoding/xml.
func wellFormed(b []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// The document reads back: its parts hang together and the key
// sentences and table cells are there, in order.
func TestWriteNoticeDOCX_ReadsBack(t *testing.T) {
	var b bytes.Buffer
	if err := WriteNoticeDOCX(&b, sampleNotice()); err != nil {
		t.Fatal(err)
	}
	paras := readDOCX(t, b.Bytes())
	text := strings.Join(paras, "\n")
	// xunjian's own reader of drafts and attachments reads it too (so
	// xunjian check can proofread the notice before it is stamped).
	if parts, err := attachment.Text("notice.docx", b.Bytes()); err != nil || len(parts) == 0 ||
		!strings.Contains(parts[0].Text, "整改情况将通过监测复核") {
		t.Errorf("attachment.Text: %v, %.200q", err, parts)
	}
	want := []string{
		"青政办〔2026〕12号",
		"青溪区政府网站与政务新媒体检查情况通报",
		"各街道办事处，区政府各部门：",
		"一、总体情况",
		"2026年11月，对1个政府网站、3个政务新媒体账号开展常态化监测，共检查34次，最近一次完整检查读取页面4321个。",
		"本期发现问题57个，已整改并经复核41个，截至期末尚有23个问题未整改。",
		"青溪区人民政府门户网站得分为87.5分",
		"有1个网站或账号存在单项否决问题",
		"图1 全区健康指数走势（2026年11月）",
		"图2 未解决问题分类统计",
		"图3 各责任单位未解决问题数量",
		"二、考评预估",
		"87.5", "否决：站点无法访问；临界：栏目不更新", "青溪发布", "政务新媒体", "99.5",
		"青溪区人民政府门户网站：站点无法访问（单项否决）：近 7 天探测 336 次，失败 19 次（5.7%，否决线 5%）；栏目不更新（临界预警）：",
		"青溪发布：内容不更新（临界预警）：接近 2 周无新发布（预警）。",
		"三、存在问题",
		"（一）链接不可用（12个）", "区教育局", "招生政策解读", "http://www.qxq.gov.cn/jyj/zsjd.html", "2026-11-03",
		"（二）栏目不更新（5个）", "（三）错别字（4个）", "关于老旧小区改造的<通知>", "http://www.qxq.gov.cn/zjj/a.html?x=1&y=2",
		"（四）个人信息泄露（2个）", "身份证号 330106********1234 未脱敏\n（共 3 处）",
		"四、单位排名",
		"区教育局", "40%", "6.5", "较上期前移 2 位，未解决 +2",
		"区市场监督管理局", "63%", "较上期后移 1 位，未解决 -1，逾期 +1", "上期无问题",
		"五、整改要求",
		"于2026年12月15日前完成整改，并将整改情况书面报送青溪区人民政府办公室。",
		"涉及单项否决的问题（栏目不更新）须立即整改",
		"青溪区人民政府办公室",
		"2026年12月5日",
		"（联系人：李明，电话：0571-12345678）",
	}
	at := 0
	for _, w := range want {
		i := strings.Index(text[at:], w)
		if i < 0 {
			if strings.Contains(text, w) {
				t.Errorf("%q is out of order", w)
			} else {
				t.Errorf("no %q in the document", w)
			}
			continue
		}
		at += i
	}
	for _, p := range paras {
		if p == "—" {
			return // an empty page title or median shows as a dash
		}
	}
	t.Error("no dash for an empty cell")
}

// Text from the data cannot break the document: the hostile evidence is
// escaped, characters XML cannot hold are dropped, the parts stay
// well-formed, and the text reads back as written less those characters.
func TestWriteNoticeDOCX_HostileStrings(t *testing.T) {
	n := sampleNotice()
	n.Title, n.Recipients, n.Issuer, n.Contact = hostile, hostile, hostile, hostile
	n.DocNumber, n.Period.Label = hostile, hostile
	n.Scores[0].Target, n.Scores[0].Vetoes[0].Evidence, n.Scores[0].Vetoes[0].Name = hostile, hostile, hostile
	n.Problems[0].Examples[0] = Example{Unit: hostile, Title: hostile, URL: hostile, Evidence: hostile}
	n.Units[0].Unit = hostile
	for _, family := range []string{"", chartFamily()} {
		var b bytes.Buffer
		if err := writeNotice(&b, n, family); err != nil {
			t.Fatal(err)
		}
		paras := readDOCX(t, b.Bytes()) // parses every part
		clean := "<w:p>正文]]>&amp;\"'尾"
		found := 0
		for _, p := range paras {
			if strings.Contains(p, clean) {
				found++
			}
			if strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 && r != '\n' || r == 0xFFFE || r == 0xFFFD }) {
				t.Errorf("a character XML cannot hold came through: %q", p)
			}
		}
		if found < 8 {
			t.Errorf("the hostile text reads back %d times, want every place it was put", found)
		}
	}
}

// Without a CJK font the bars are numbered and the captions say what the
// numbers are; with one (where installed) the bars carry the names.
func TestNoticeFigures_FontFallback(t *testing.T) {
	n := sampleNotice()
	figs, err := noticeFigures(n, "", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 3 || !strings.Contains(figs[1].Caption, "（图中序号：1 链接不可用；2 栏目不更新；3 错别字；4 个人信息泄露）") ||
		!strings.Contains(figs[2].Caption, "1 区教育局；2 区市场监督管理局") {
		t.Errorf("captions: %q", captions(figs))
	}
	for _, f := range figs {
		checkPNG(t, f.Caption, f.PNG)
	}
	family := chartFamily()
	if family == "" {
		t.Skip("no CJK font installed (Debian: fonts-wqy-microhei)")
	}
	figs, err = noticeFigures(n, family, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(figs) != 3 || strings.Contains(figs[1].Caption, "图中序号") {
		t.Errorf("captions with a CJK font: %q", captions(figs))
	}
	for _, f := range figs {
		checkPNG(t, f.Caption, f.PNG)
	}
}

func captions(figs []figure) []string {
	var out []string
	for _, f := range figs {
		out = append(out, f.Caption)
	}
	return out
}

// A notice with nothing in it still makes a document: no charts, no
// tables, the sentences that say so.
func TestWriteNoticeDOCX_Empty(t *testing.T) {
	var b bytes.Buffer
	if err := WriteNoticeDOCX(&b, Notice{Title: "通报"}); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(readDOCX(t, b.Bytes()), "\n")
	for _, w := range []string{"本期无网站或账号的考评预估。", "截至期末，未发现未整改问题。", "本期各责任单位均无未整改问题。", "及时整改。"} {
		if !strings.Contains(text, w) {
			t.Errorf("no %q", w)
		}
	}
	if strings.Contains(text, "图1") {
		t.Error("a chart without data")
	}
}

// Each table fills the text width between the 公文 margins exactly.
func TestNoticeColumns_FillTheTextWidth(t *testing.T) {
	for i, cols := range [][]column{scoreColumns, exampleColumns, rankColumns} {
		sum := 0
		for _, c := range cols {
			sum += c.width
		}
		if sum != textWidth {
			t.Errorf("table %d is %d twips wide, the text %d", i, sum, textWidth)
		}
	}
}

func TestChineseNumber(t *testing.T) {
	for i, want := range map[int]string{1: "一", 9: "九", 10: "十", 11: "十一", 16: "十六", 20: "二十", 23: "二十三", 99: "九十九", 100: "100"} {
		if got := chineseNumber(i); got != want {
			t.Errorf("chineseNumber(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestCountAxis(t *testing.T) {
	for v, want := range map[float64][2]float64{1: {2, 3}, 4: {5, 6}, 5: {6, 7}, 12: {15, 4}, 35: {40, 5}, 40: {50, 6}, 180: {200, 5}} {
		end, labels := countAxis(v)
		if end != want[0] || float64(labels) != want[1] {
			t.Errorf("countAxis(%v) = %v, %d; want %v", v, end, labels, want)
		}
	}
}

// A district at full size: 83 units, 16 categories of 10 examples, a
// quarter's trend.
func BenchmarkWriteNoticeDOCX(b *testing.B) {
	n := sampleNotice()
	n.Problems, n.Units, n.Trend = nil, nil, nil
	for i, c := range checks.Categories[:16] {
		cp := CategoryProblems{Category: c, Count: 100 - 5*i}
		for j := range 10 {
			cp.Examples = append(cp.Examples, Example{Unit: fmt.Sprintf("区第%d局", j), Title: "关于印发某某工作方案的通知",
				URL:      fmt.Sprintf("http://www.qxq.gov.cn/col%d/art%d.html", i, j),
				Evidence: "链接“报名入口”（http://www.qxq.gov.cn/bm/）无法访问：HTTP 404；位于正文，共 3 个页面引用", FirstSeen: n.Date.AddDate(0, 0, -j)})
		}
		n.Problems = append(n.Problems, cp)
	}
	for i := range 83 {
		n.Units = append(n.Units, UnitRank{Rank: i + 1, Unit: fmt.Sprintf("区第%d局", i), Open: 90 - i, Overdue: i % 7,
			Found: 20, Fixed: 10, FixRate: 0.5, MedianDays: 4.5, PrevRank: i + 2, OpenChange: -1})
	}
	for i := range 92 {
		n.Trend = append(n.Trend, TrendPoint{Day: n.Period.From.AddDate(0, 0, i), Health: 60 + i%30})
	}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := WriteNoticeDOCX(&buf, n); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size), "docx-bytes")
}

// An independent reader, gomutex/godocx, opens the document and finds the
// same text in its paragraphs and table cells.
func TestWriteNoticeDOCX_GodocxReads(t *testing.T) {
	var b bytes.Buffer
	if err := WriteNoticeDOCX(&b, sampleNotice()); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	doc, err := packager.Unpack(&raw)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	para := func(p *ctypes.Paragraph) {
		var s strings.Builder
		for _, c := range p.Children {
			if c.Run == nil {
				continue
			}
			for _, rc := range c.Run.Children {
				switch {
				case rc.Text != nil:
					s.WriteString(rc.Text.Text)
				case rc.Break != nil:
					s.WriteByte('\n')
				}
			}
		}
		texts = append(texts, s.String())
	}
	tables := 0
	for _, c := range doc.Document.Body.Children {
		switch {
		case c.Para != nil:
			para(c.Para.GetCT())
		case c.Table != nil:
			tables++
			for _, rc := range c.Table.GetCT().RowContents {
				for _, cc := range rc.Row.Contents {
					for _, bc := range cc.Cell.Contents {
						if bc.Paragraph != nil {
							para(bc.Paragraph)
						}
					}
				}
			}
		}
	}
	if tables != 6 { // scores, four categories, ranking
		t.Errorf("%d tables, want 6", tables)
	}
	for _, w := range []string{"青溪区政府网站与政务新媒体检查情况通报", "一、总体情况", "五、整改要求", "区市场监督管理局",
		"<w:p>正文]]>&amp;\"'尾", "身份证号 330106********1234 未脱敏\n（共 3 处）", "2026年12月5日"} {
		if !slices.Contains(texts, w) {
			t.Errorf("godocx finds no paragraph %q", w)
		}
	}
}

// Charts of little data still draw: one day of trend at 0, one category,
// one unit, a huge count.
func TestNoticeFigures_Edges(t *testing.T) {
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai)
	for _, n := range []Notice{
		{Trend: []TrendPoint{{Day: day}}, Problems: []CategoryProblems{{Category: checks.Typo, Count: 1}},
			Units: []UnitRank{{Rank: 1, Unit: "区教育局", Open: 1}}},
		{Trend: []TrendPoint{{Day: day, Health: 100}, {Day: day.AddDate(0, 0, 1), Health: 100}},
			Problems: []CategoryProblems{{Category: checks.Typo, Count: 123456}, {Category: "unknown", Count: 0}},
			Units:    []UnitRank{{Rank: 1, Unit: "", Open: 99999}, {Rank: 2, Unit: "区卫健局", Open: 0}}},
	} {
		for _, family := range []string{"", chartFamily()} {
			figs, err := noticeFigures(n, family, shanghai)
			if err != nil {
				t.Fatal(err)
			}
			if len(figs) != 3 {
				t.Errorf("%d figures: %q", len(figs), captions(figs))
			}
			for _, f := range figs {
				checkPNG(t, f.Caption, f.PNG)
			}
		}
	}
}

// Notices written at once share the installed font and nothing else.
func TestWriteNoticeDOCX_Concurrent(t *testing.T) {
	n := sampleNotice()
	done := make(chan []byte)
	for range 2 {
		go func() {
			var b bytes.Buffer
			if err := WriteNoticeDOCX(&b, n); err != nil {
				t.Error(err)
			}
			done <- b.Bytes()
		}()
	}
	a, b := <-done, <-done
	if !bytes.Equal(a, b) {
		t.Error("the same notice written twice at once differs")
	}
}
