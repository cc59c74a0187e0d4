package reports

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
)

// The namespaces of the parts.
const (
	nsW   = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsR   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRel = "http://schemas.openxmlformats.org/package/2006/relationships"
	xmlPI = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
)

// pack zips the parts: [Content_Types].xml first, as readers expect.
func (d *docWriter) pack(w io.Writer, n Notice, figs []figure) error {
	modified := n.Date
	if modified.Year() < 1980 { // the zip format's epoch
		modified = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	z := zip.NewWriter(w)
	add := func(name string, data []byte, method uint16) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: modified})
		if err != nil {
			return err
		}
		_, err = f.Write(data)
		return err
	}
	var rels strings.Builder
	rels.WriteString(xmlPI + `<Relationships xmlns="` + nsRel + `">` + "\n")
	for _, r := range [][2]string{{ridStyles, "styles"}, {ridSettings, "settings"}, {ridFonts, "fontTable"}} {
		fmt.Fprintf(&rels, `<Relationship Id="%s" Type="%s/%s" Target="%s.xml"/>`+"\n", r[0], nsR, r[1], r[1])
	}
	fmt.Fprintf(&rels, `<Relationship Id="%s" Type="%s/footer" Target="footer1.xml"/>`+"\n", ridFooter1, nsR)
	fmt.Fprintf(&rels, `<Relationship Id="%s" Type="%s/footer" Target="footer2.xml"/>`+"\n", ridFooter2, nsR)
	for i := range figs {
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/image" Target="media/chart%d.png"/>`+"\n", ridFirstFig+i, nsR, i+1)
	}
	rels.WriteString("</Relationships>\n")

	parts := []struct {
		name string
		data []byte
	}{
		{"[Content_Types].xml", []byte(contentTypes)},
		{"_rels/.rels", []byte(packageRels)},
		{"docProps/core.xml", coreProps(n)},
		{"docProps/app.xml", []byte(appProps)},
		{"word/document.xml", d.document()},
		{"word/_rels/document.xml.rels", []byte(rels.String())},
		{"word/styles.xml", []byte(stylesXML)},
		{"word/settings.xml", []byte(settingsXML)},
		{"word/fontTable.xml", []byte(fontTableXML)},
		{"word/footer1.xml", footerXML("right", right1)},
		{"word/footer2.xml", footerXML("left", left1)},
	}
	for _, p := range parts {
		if err := add(p.name, p.data, zip.Deflate); err != nil {
			return err
		}
	}
	for i, f := range figs {
		if err := add(fmt.Sprintf("word/media/chart%d.png", i+1), f.PNG, zip.Store); err != nil {
			return err
		}
	}
	return z.Close()
}

// document wraps the body in word/document.xml with the section: A4, the
// 公文 margins, odd and even footers.
func (d *docWriter) document() []byte {
	var b bytes.Buffer
	b.Grow(d.b.Len() + 1024)
	b.WriteString(xmlPI)
	b.WriteString(`<w:document xmlns:w="` + nsW + `" xmlns:r="` + nsR + `"` +
		` xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"` +
		` xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"` +
		` xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>` + "\n")
	b.Write(d.b.Bytes())
	fmt.Fprintf(&b, `<w:sectPr><w:footerReference w:type="default" r:id="%s"/><w:footerReference w:type="even" r:id="%s"/>`, ridFooter1, ridFooter2)
	fmt.Fprintf(&b, `<w:pgSz w:w="%d" w:h="%d"/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="1304" w:gutter="0"/>`,
		pageW, pageH, marginTop, marginRight, marginBottom, marginLeft)
	b.WriteString(`<w:pgNumType w:fmt="decimal"/><w:cols w:space="425"/><w:docGrid w:linePitch="312"/></w:sectPr>` + "\n</w:body></w:document>\n")
	return b.Bytes()
}

const contentTypes = xmlPI + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>
<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>
`

const packageRels = xmlPI + `<Relationships xmlns="` + nsRel + `">
<Relationship Id="rId1" Type="` + nsR + `/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="` + nsR + `/extended-properties" Target="docProps/app.xml"/>
</Relationships>
`

const appProps = xmlPI + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>xunjian</Application></Properties>
`

// coreProps are the title, author and date Word shows in the file's
// properties.
func coreProps(n Notice) []byte {
	var b bytes.Buffer
	b.WriteString(xmlPI + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`)
	b.WriteString("<dc:title>" + attr(n.Title) + "</dc:title><dc:creator>" + attr(n.Issuer) + "</dc:creator>")
	if !n.Date.IsZero() {
		t := n.Date.UTC().Format("2006-01-02T15:04:05Z")
		b.WriteString(`<dcterms:created xsi:type="dcterms:W3CDTF">` + t + `</dcterms:created>`)
		b.WriteString(`<dcterms:modified xsi:type="dcterms:W3CDTF">` + t + `</dcterms:modified>`)
	}
	b.WriteString("</cp:coreProperties>\n")
	return b.Bytes()
}

// The footers' indents: the page number sits one character in from the
// edge, right on odd pages and left on even ones (GB/T 9704).
const (
	right1 = `<w:ind w:rightChars="100" w:right="280"/>`
	left1  = `<w:ind w:leftChars="100" w:left="280"/>`
)

// footerXML is a footer with the page number as “— 1 —”: a PAGE field in
// 四号 宋体 between two dashes.
func footerXML(jc, ind string) []byte {
	rPr := fmt.Sprintf(`<w:rPr><w:rFonts w:ascii="%[1]s" w:hAnsi="%[1]s" w:eastAsia="%[1]s" w:cs="%[1]s"/><w:sz w:val="%[2]d"/><w:szCs w:val="%[2]d"/></w:rPr>`,
		fPageNum.face, fPageNum.size)
	r := func(inner string) string { return "<w:r>" + rPr + inner + "</w:r>" }
	return []byte(xmlPI + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="` + nsR + `">` + "\n" +
		`<w:p><w:pPr><w:pStyle w:val="Footer"/>` + ind + `<w:jc w:val="` + jc + `"/></w:pPr>` +
		r(`<w:t xml:space="preserve">— </w:t>`) +
		r(`<w:fldChar w:fldCharType="begin"/>`) + r(`<w:instrText xml:space="preserve"> PAGE </w:instrText>`) +
		r(`<w:fldChar w:fldCharType="separate"/>`) + r(`<w:t>1</w:t>`) + r(`<w:fldChar w:fldCharType="end"/>`) +
		r(`<w:t xml:space="preserve"> —</w:t>`) + "</w:p>\n</w:ftr>\n")
}

// settingsXML: odd and even footers differ; Chinese punctuation is
// compressed as Word does for Chinese documents; Word 2013+ layout.
const settingsXML = xmlPI + `<w:settings xmlns:w="` + nsW + `">
<w:zoom w:percent="100"/>
<w:defaultTabStop w:val="420"/>
<w:evenAndOddHeaders/>
<w:characterSpacingControl w:val="compressPunctuation"/>
<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
</w:settings>
`

// fontTableXML names the 公文 faces with what to use where they are
// missing (a Windows without 仿宋_GB2312 has 仿宋).
const fontTableXML = xmlPI + `<w:fonts xmlns:w="` + nsW + `">
<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>
<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>
<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>
<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font>
</w:fonts>
`

// stylesXML: 仿宋_GB2312 三号 with 28 pt lines by default (GB/T 9704: 22
// lines a page); the title, headings, captions, table text, footer; and a
// bordered table style. Runs repeat their fonts, so a paragraph pasted
// into another document keeps them.
const stylesXML = xmlPI + `<w:styles xmlns:w="` + nsW + `">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:spacing w:line="560" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="仿宋_GB2312" w:cs="Times New Roman"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="DocNumber"><w:name w:val="Document Number"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:eastAsia="黑体"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:ind w:firstLineChars="200" w:firstLine="640"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:eastAsia="楷体_GB2312"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:next w:val="Caption"/><w:pPr><w:keepNext/><w:spacing w:before="120" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="120" w:line="400" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr><w:rPr><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="21"/><w:szCs w:val="21"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Signature"><w:name w:val="Signature"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="right"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="center" w:pos="4153"/><w:tab w:val="right" w:pos="8306"/></w:tabs><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:rFonts w:ascii="宋体" w:hAnsi="宋体" w:eastAsia="宋体"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>
</w:styles>
`
