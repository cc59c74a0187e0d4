package reports

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The notice is WordprocessingML written by hand: a .docx is a zip of a
// few XML parts, and what a 通报 needs (East Asian fonts in every run,
// bordered tables, inline PNG charts, 公文 margins, page numbers in the
// footer) takes less code than bending a library to it. The parts:
//
//	[Content_Types].xml, _rels/.rels, docProps/core.xml, docProps/app.xml
//	word/document.xml, word/_rels/document.xml.rels, word/styles.xml,
//	word/settings.xml, word/fontTable.xml, word/footer1.xml (odd pages),
//	word/footer2.xml (even pages), word/media/chartN.png

// Page geometry in twentieths of a point (twips): A4 and the 公文 margins
// (GB/T 9704: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm).
const (
	pageW, pageH = 11906, 16838
	marginTop    = 2098
	marginBottom = 1984
	marginLeft   = 1587
	marginRight  = 1474
	textWidth    = pageW - marginLeft - marginRight // 8845, 156 mm
	// A figure is shown 150 mm wide; English Metric Units per mm.
	figureWidthEMU = 150 * 36000
)

// A font is a run's East Asian typeface and size in half-points.
type font struct {
	face string
	size int
}

// The 公文 faces and sizes: 二号 22 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt.
var (
	fTitle    = font{face: "方正小标宋简体", size: 44}
	fBody     = font{face: "仿宋_GB2312", size: 32}
	fHeading  = font{face: "黑体", size: 32}
	fSub      = font{face: "楷体_GB2312", size: 32}
	fCaption  = font{face: "仿宋_GB2312", size: 28}
	fCell     = font{face: "仿宋_GB2312", size: 21}
	fCellHead = font{face: "黑体", size: 21}
	fPageNum  = font{face: "宋体", size: 28}
	latinFace = "Times New Roman"
)

// pp are a paragraph's direct properties, written in the order the schema
// wants them (Word refuses a document whose elements are out of order).
type pp struct {
	keepNext bool
	spacing  string // w:spacing
	ind      string // w:ind
	jc       string // w:jc value
}

func (p pp) String() string {
	var b strings.Builder
	if p.keepNext {
		b.WriteString("<w:keepNext/>")
	}
	b.WriteString(p.spacing)
	b.WriteString(p.ind)
	if p.jc != "" {
		b.WriteString(`<w:jc w:val="` + p.jc + `"/>`)
	}
	return b.String()
}

// The indents: two characters on the first line (三号: 2 × 16 pt), none,
// and right indents for the signature block.
const (
	indent2    = `<w:ind w:firstLineChars="200" w:firstLine="640"/>`
	noIndent   = `<w:ind w:firstLineChars="0" w:firstLine="0"/>`
	right2     = `<w:ind w:rightChars="200" w:right="640" w:firstLineChars="0" w:firstLine="0"/>`
	right4     = `<w:ind w:rightChars="400" w:right="1280" w:firstLineChars="0" w:firstLine="0"/>`
	autoSpaced = `<w:spacing w:line="240" w:lineRule="auto"/>`
)

var (
	ppBody     = pp{ind: indent2}
	ppHeading  = pp{keepNext: true, ind: indent2}
	ppFlush    = pp{ind: noIndent}
	ppCentered = pp{ind: noIndent, jc: "center"}
	ppTitle    = pp{spacing: autoSpaced, ind: noIndent, jc: "center"}
	ppFigure   = pp{keepNext: true, spacing: autoSpaced, ind: noIndent, jc: "center"}
)

// WriteNoticeDOCX writes the notice as a Word document (.docx) laid out as
// a 公文: title, 文号, 主送, 一、总体情况 with charts, 二、考评预估,
// 三、存在问题, 四、单位排名, 五、整改要求, the issuer and date, and the
// contact line. Dates are written in n.Date's location (give the notice in
// the office's zone). Text from the data is escaped and characters XML
// cannot carry are dropped. The charts use a CJK font found on the machine
// (see cjkFontPaths); without one their bars are numbered and the captions
// name them.
func WriteNoticeDOCX(w io.Writer, n Notice) error {
	return writeNotice(w, n, chartFamily())
}

// writeNotice is WriteNoticeDOCX with the chart font given ("" for none).
func writeNotice(w io.Writer, n Notice, family string) error {
	loc := n.Date.Location()
	figs, err := noticeFigures(n, family, loc)
	if err != nil {
		return err
	}
	d := &docWriter{loc: loc}
	d.notice(n, figs)
	return d.pack(w, n, figs)
}

// docWriter builds word/document.xml's body.
type docWriter struct {
	b   bytes.Buffer
	loc *time.Location
}

// text writes s escaped for XML character data, dropping what XML 1.0
// cannot carry (control characters, U+FFFE/U+FFFF, invalid UTF-8); a line
// break becomes a w:br, a tab a space.
func (d *docWriter) text(s string) {
	writeEscaped(&d.b, s, true)
}

func writeEscaped(b *bytes.Buffer, s string, breaks bool) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case r == '\n' && breaks:
			b.WriteString(`</w:t><w:br/><w:t xml:space="preserve">`)
		case r == '\n' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
		default:
			b.WriteRune(r)
		}
	}
}

// attr escapes s for an attribute value.
func attr(s string) string {
	var b bytes.Buffer
	writeEscaped(&b, s, false)
	return b.String()
}

// run writes a run of text in font f.
func (d *docWriter) run(f font, s string) {
	d.b.WriteString("<w:r>")
	d.rPr(f)
	d.b.WriteString(`<w:t xml:space="preserve">`)
	d.text(s)
	d.b.WriteString("</w:t></w:r>")
}

func (d *docWriter) rPr(f font) {
	fmt.Fprintf(&d.b, `<w:rPr><w:rFonts w:ascii="%s" w:hAnsi="%s" w:eastAsia="%s" w:cs="%s" w:hint="eastAsia"/>`,
		latinFace, latinFace, f.face, latinFace)
	fmt.Fprintf(&d.b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr>`, f.size, f.size)
}

// para writes a paragraph of style style with direct properties p and
// one run of text.
func (d *docWriter) para(style string, p pp, f font, s string) {
	fmt.Fprintf(&d.b, `<w:p><w:pPr><w:pStyle w:val="%s"/>%s</w:pPr>`, style, p)
	if s != "" {
		d.run(f, s)
	}
	d.b.WriteString("</w:p>\n")
}

func (d *docWriter) body(s string)    { d.para("Normal", ppBody, fBody, s) }
func (d *docWriter) heading(s string) { d.para("Heading1", ppHeading, fHeading, s) }
func (d *docWriter) sub(s string)     { d.para("Heading2", ppHeading, fSub, s) }
func (d *docWriter) blank()           { d.para("Normal", ppFlush, fBody, "") }

// A column of a table: its heading, width in twips, and alignment.
type column struct {
	head  string
	width int
	align string // "left", "center"
}

// The tables' columns; each table's widths add up to textWidth.
var (
	scoreColumns = []column{
		{"考评对象", 1900, "left"}, {"类型", 1300, "center"}, {"预估得分", 1000, "center"},
		{"健康指数", 1000, "center"}, {"单项否决与临界预警", 2645, "left"}, {"待人工评估分值", 1000, "center"},
	}
	exampleColumns = []column{
		{"责任单位", 1400, "left"}, {"页面标题", 1700, "left"}, {"网址", 1900, "left"},
		{"问题内容", 2595, "left"}, {"首次发现", 1250, "center"},
	}
	rankColumns = []column{
		{"排名", 560, "center"}, {"责任单位", 1600, "left"}, {"未解决", 560, "center"}, {"逾期", 560, "center"},
		{"本期发现", 600, "center"}, {"本期整改", 600, "center"}, {"整改率", 620, "center"},
		{"整改用时中位数（天）", 800, "center"}, {"否决类问题", 600, "center"}, {"本期变化", 2345, "left"},
	}
)

// table writes a bordered table filling the text width, the header row
// repeated on every page.
func (d *docWriter) table(cols []column, rows [][]string) {
	d.b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/><w:jc w:val="center"/>`)
	d.b.WriteString(`<w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(&d.b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
	}
	d.b.WriteString(`</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
	for _, c := range cols {
		fmt.Fprintf(&d.b, `<w:gridCol w:w="%d"/>`, c.width)
	}
	d.b.WriteString("</w:tblGrid>\n")
	d.row(cols, nil, true)
	for _, r := range rows {
		d.row(cols, r, false)
	}
	d.b.WriteString("</w:tbl>\n")
}

func (d *docWriter) row(cols []column, cells []string, head bool) {
	d.b.WriteString("<w:tr><w:trPr><w:cantSplit/>")
	if head {
		d.b.WriteString("<w:tblHeader/>")
	}
	d.b.WriteString("</w:trPr>")
	for i, c := range cols {
		f, s, align := fCell, "", c.align
		if head {
			f, s, align = fCellHead, c.head, "center"
		} else if i < len(cells) {
			s = cells[i]
		}
		fmt.Fprintf(&d.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/><w:jc w:val="%s"/></w:pPr>`, c.width, align)
		if s != "" {
			d.run(f, s)
		}
		d.b.WriteString("</w:p></w:tc>")
	}
	d.b.WriteString("</w:tr>\n")
}

// figure writes a chart as an inline picture (relationship rID, drawing
// id id) and its caption.
func (d *docWriter) figure(f figure, id int, rID string) {
	cx := figureWidthEMU
	cy := int(math.Round(float64(cx) * float64(f.Height) / float64(f.Width)))
	fmt.Fprintf(&d.b, `<w:p><w:pPr><w:pStyle w:val="Figure"/>%s</w:pPr><w:r><w:drawing>`, ppFigure)
	fmt.Fprintf(&d.b, `<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:effectExtent l="0" t="0" r="0" b="0"/>`, cx, cy)
	fmt.Fprintf(&d.b, `<wp:docPr id="%d" name="图%d" descr="%s"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`, id, id, attr(f.AltText))
	fmt.Fprintf(&d.b, `<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="%d" name="chart%d.png"/><pic:cNvPicPr/></pic:nvPicPr>`, id, id)
	fmt.Fprintf(&d.b, `<pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`, rID)
	fmt.Fprintf(&d.b, `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`+"\n", cx, cy)
	d.para("Caption", ppCentered, fCaption, f.Caption)
}

// The relationship ids of document.xml: the fixed parts, then one per
// figure.
const (
	ridStyles   = "rId1"
	ridSettings = "rId2"
	ridFonts    = "rId3"
	ridFooter1  = "rId4"
	ridFooter2  = "rId5"
	ridFirstFig = 6
)

// notice writes the body.
func (d *docWriter) notice(n Notice, figs []figure) {
	if n.DocNumber != "" {
		d.para("DocNumber", ppCentered, fBody, n.DocNumber)
		d.blank()
	}
	d.para("Title", ppTitle, fTitle, n.Title)
	d.blank()
	if n.Recipients != "" {
		d.para("Normal", ppFlush, fBody, n.Recipients)
	}
	d.body(d.lead(n))

	d.heading("一、总体情况")
	d.body(d.overview(n, len(figs)))
	for i, f := range figs {
		d.figure(f, i+1, "rId"+strconv.Itoa(ridFirstFig+i))
	}

	d.heading("二、考评预估")
	d.scores(n.Scores)

	d.heading("三、存在问题")
	d.problems(n)

	d.heading("四、单位排名")
	d.ranking(n.Units)

	d.heading("五、整改要求")
	d.requirements(n)

	d.signature(n)
}

// date is 2026年12月5日 in the notice's zone.
func (d *docWriter) date(t time.Time) string {
	t = t.In(d.loc)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

func (d *docWriter) lead(n Notice) string {
	period := n.Period.Label
	if period == "" {
		period = "本期"
	}
	return fmt.Sprintf("为加强政府网站与政务新媒体日常监管，按照《政府网站与政务新媒体检查指标》要求，现将%s检查情况通报如下。", period)
}

func (d *docWriter) overview(n Notice, figures int) string {
	o := n.Overview
	var b strings.Builder
	period := n.Period.Label
	if period == "" {
		period = "本期"
	}
	fmt.Fprintf(&b, "%s，对%d个政府网站、%d个政务新媒体账号开展常态化监测，共检查%d次，最近一次完整检查读取页面%d个。", period, o.Sites, o.Accounts, o.Scans, o.Pages)
	fmt.Fprintf(&b, "本期发现问题%d个，已整改并经复核%d个，%s尚有%d个问题未整改。", o.Found, o.Fixed, n.asOf(), o.Open)
	if o.Sites > 0 {
		portal := "门户网站"
		if len(n.Scores) > 0 && n.Scores[0].Kind != "account" && n.Scores[0].Target != "" {
			portal = n.Scores[0].Target
		}
		fmt.Fprintf(&b, "按考评指标预估，%s得分为%.1f分（需人工评估的指标暂按满分计）。", portal, o.Score)
	}
	if o.Failed > 0 {
		fmt.Fprintf(&b, "有%d个网站或账号存在单项否决问题，如不及时整改，考评将直接判定为不合格。", o.Failed)
	} else {
		b.WriteString("未发现触发单项否决的网站或账号。")
	}
	switch figures {
	case 0:
	case 1:
		b.WriteString("有关情况见图1。")
	default:
		fmt.Fprintf(&b, "有关情况见图1至图%d。", figures)
	}
	return b.String()
}

// kindLabel is a target kind in Chinese.
func kindLabel(kind string) string {
	if kind == "account" {
		return "政务新媒体"
	}
	return "网站"
}

// num is a number with at most one decimal: 25, 87.5.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
}

func (d *docWriter) scores(cards []Scorecard) {
	if len(cards) == 0 {
		d.body("本期无网站或账号的考评预估。")
		return
	}
	d.body("按《政府网站与政务新媒体检查指标》对各网站和账号预估得分如下。预估得分只计可监测的扣分项，需人工评估的指标暂按满分计，其分值单列。")
	var rows [][]string
	var flagged []Scorecard
	for _, c := range cards {
		var failed, risk []string
		for _, v := range c.Vetoes {
			switch v.State {
			case VetoFailed:
				failed = append(failed, v.Name)
			case VetoRisk:
				risk = append(risk, v.Name)
			}
		}
		var parts []string
		if len(failed) > 0 {
			parts = append(parts, "否决："+strings.Join(failed, "、"))
		}
		if len(risk) > 0 {
			parts = append(parts, "临界："+strings.Join(risk, "、"))
		}
		vetoes := "无"
		if len(parts) > 0 {
			vetoes = strings.Join(parts, "；")
			flagged = append(flagged, c)
		}
		rows = append(rows, []string{c.Target, kindLabel(c.Kind), strconv.FormatFloat(c.Score, 'f', 1, 64),
			strconv.Itoa(c.Health), vetoes, num(c.Manual)})
	}
	d.table(scoreColumns, rows)
	if len(flagged) == 0 {
		d.body("各网站和账号均未触发单项否决或临界预警。")
		return
	}
	d.body("触发单项否决或临界预警的情况如下：")
	for _, c := range flagged {
		var items []string
		for _, v := range c.Vetoes {
			if v.State == VetoFailed || v.State == VetoRisk {
				items = append(items, fmt.Sprintf("%s（%s）：%s", v.Name, v.State.Label(), v.Evidence))
			}
		}
		d.body(c.Target + "：" + strings.Join(items, "；") + "。")
	}
}

func (d *docWriter) problems(n Notice) {
	if len(n.Problems) == 0 {
		d.body(n.asOf() + "，未发现未整改问题。")
		return
	}
	total := 0
	for _, c := range n.Problems {
		total += c.Count
	}
	d.body(fmt.Sprintf("%s，%d类共%d个问题未整改，按类别列举如下（每类列示部分问题）。", n.asOf(), len(n.Problems), total))
	for i, c := range n.Problems {
		d.sub(fmt.Sprintf("（%s）%s（%d个）", chineseNumber(i+1), c.Category.Label(), c.Count))
		if len(c.Examples) == 0 {
			continue
		}
		var rows [][]string
		for _, e := range c.Examples {
			first := ""
			if !e.FirstSeen.IsZero() {
				first = e.FirstSeen.In(d.loc).Format("2006-01-02")
			}
			rows = append(rows, []string{dash(e.Unit), dash(e.Title), e.URL, e.Evidence, first})
		}
		d.table(exampleColumns, rows)
	}
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func (d *docWriter) ranking(units []UnitRank) {
	if len(units) == 0 {
		d.body("本期各责任单位均无未整改问题。")
		return
	}
	d.body("各责任单位按未整改的否决类问题、逾期问题、未解决问题数量排序，排名越靠前问题越突出。")
	var rows [][]string
	for _, u := range units {
		median := "—"
		if u.MedianDays > 0 {
			median = strconv.FormatFloat(u.MedianDays, 'f', 1, 64)
		}
		rate := "—"
		if u.HasFixRate() {
			rate = strconv.Itoa(int(math.Round(100*u.FixRate))) + "%"
		}
		rows = append(rows, []string{strconv.Itoa(u.Rank), u.Unit, strconv.Itoa(u.Open), strconv.Itoa(u.Overdue),
			strconv.Itoa(u.Found), strconv.Itoa(u.Fixed), rate, median, strconv.Itoa(u.Vetoes), u.Change()})
	}
	d.table(rankColumns, rows)
}

func (d *docWriter) requirements(n Notice) {
	to := ""
	if n.Issuer != "" {
		to = "，并将整改情况书面报送" + n.Issuer
	}
	if n.Deadline.IsZero() {
		d.body("请各责任单位对照本通报所列问题逐项核查、及时整改" + to + "。")
	} else {
		d.body("请各责任单位对照本通报所列问题逐项核查，于" + d.date(n.Deadline) + "前完成整改" + to + "。")
	}
	var vetoes []string
	for _, c := range n.Problems {
		if slices.Contains(VetoCategories, c.Category) && c.Count > 0 {
			vetoes = append(vetoes, c.Category.Label())
		}
	}
	if len(vetoes) > 0 {
		d.body("涉及单项否决的问题（" + strings.Join(vetoes, "、") + "）须立即整改、优先处置，其他问题按期整改到位。")
	} else {
		d.body("单项否决类问题须立即整改、优先处置，其他问题按期整改到位。")
	}
	d.body("整改情况将通过监测复核，逾期未整改的问题将在下期通报中继续通报。")
}

func (d *docWriter) signature(n Notice) {
	d.blank()
	d.blank()
	if n.Issuer != "" {
		d.para("Signature", pp{ind: right2, jc: "right"}, fBody, n.Issuer)
	}
	if !n.Date.IsZero() {
		d.para("Signature", pp{ind: right4, jc: "right"}, fBody, d.date(n.Date))
	}
	if c := strings.TrimSpace(n.Contact); c != "" {
		if !strings.HasPrefix(c, "（") && !strings.HasPrefix(c, "(") {
			c = "（" + c + "）"
		}
		d.blank()
		d.body(c)
	}
}

// chineseNumber is 1–99 in Chinese numerals (一, 十一, 二十三); beyond,
// Arabic digits.
func chineseNumber(i int) string {
	digits := []string{"", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case i <= 0 || i >= 100:
		return strconv.Itoa(i)
	case i < 10:
		return digits[i]
	case i < 20:
		return "十" + digits[i%10]
	}
	return digits[i/10] + "十" + digits[i%10]
}

// asOf says when the unresolved count holds: 截至期末 for a period that has
// ended, 截至目前 for one still running when the notice is written.
func (n Notice) asOf() string {
	if n.Date.Before(n.Period.To) {
		return "截至目前"
	}
	return "截至期末"
}
