// Package attachmenttest generates attachment bombs for tests: small files
// that expand to hundreds of MiB, or make a reader allocate or loop by a
// number in the file. The compressed streams are built in milliseconds: a
// chunk is compressed once and its block repeated (see deflateRepeat).
package attachmenttest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"strings"

	"github.com/xunjian/xunjian/demosite"
)

const mib = 1 << 20

// deflateRepeat returns a raw deflate stream of head, chunk n times, then
// tail. The chunk is compressed twice with sync flushes and the second
// block repeated: its back-references reach at most 32 KiB, into the chunk
// before it, which is the same for every copy when len(chunk) ≥ 32 KiB.
func deflateRepeat(head, chunk []byte, n int, tail []byte) []byte {
	if len(chunk) < 32<<10 || n < 1 {
		panic("deflateRepeat: chunk under 32 KiB")
	}
	var b bytes.Buffer
	w, _ := flate.NewWriter(&b, flate.BestCompression)
	w.Write(head)
	w.Write(chunk)
	w.Flush()
	first := bytes.Clone(b.Bytes())
	b.Reset()
	w.Write(chunk)
	w.Flush()
	again := bytes.Clone(b.Bytes())
	b.Reset()
	w.Write(tail)
	w.Close()
	out := append(first, bytes.Repeat(again, n-1)...)
	return append(out, b.Bytes()...)
}

// zipEntry is one file of a generated zip: data, or head+chunk×n+tail.
type zipEntry struct {
	name        string
	head, chunk []byte
	n           int
	tail        []byte
	declared    uint64 // the uncompressed size written in the headers (0: the true one)
	data        string
}

func zipOf(entries ...zipEntry) []byte {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range entries {
		if e.chunk == nil {
			w, _ := zw.Create(e.name)
			w.Write([]byte(e.data))
			continue
		}
		raw := deflateRepeat(e.head, e.chunk, e.n, e.tail)
		crc := crc32.ChecksumIEEE(e.head)
		for range e.n {
			crc = crc32.Update(crc, crc32.IEEETable, e.chunk)
		}
		crc = crc32.Update(crc, crc32.IEEETable, e.tail)
		size := uint64(len(e.head) + e.n*len(e.chunk) + len(e.tail))
		if e.declared != 0 {
			size = e.declared
		}
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(raw)), UncompressedSize64: size})
		w.Write(raw)
	}
	zw.Close()
	return b.Bytes()
}

const (
	xlsxTypes = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`
	xlsxRels  = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	xlsxBook  = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>`
	xlsxBookR = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	sheetHead = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetTail = `</sheetData></worksheet>`
	sstHead   = `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
)

// xlsxWith is a one-sheet workbook whose sheet (and shared strings, when
// given) are the entries passed.
func xlsxWith(sheet zipEntry, more ...zipEntry) []byte {
	sheet.name = "xl/worksheets/sheet1.xml"
	return zipOf(append([]zipEntry{
		{name: "[Content_Types].xml", data: xlsxTypes},
		{name: "_rels/.rels", data: xlsxRels},
		{name: "xl/workbook.xml", data: xlsxBook},
		{name: "xl/_rels/workbook.xml.rels", data: xlsxBookR},
		sheet,
	}, more...)...)
}

// repeatTo repeats unit into a chunk of at least 1 MiB.
func repeatTo(unit string) []byte {
	return bytes.Repeat([]byte(unit), mib/len(unit)+1)
}

// XLSXCells is the spreadsheet: a sheet of 256 MiB of rows of
// small numeric cells (16M cells), ~300 KB zipped.
func XLSXCells() []byte {
	row := "<row>" + strings.Repeat("<c><v>0</v></c>", 1000) + "</row>"
	chunk := repeatTo(row)[:len(row)*(mib/len(row)+1)]
	return xlsxWith(zipEntry{head: []byte(sheetHead), chunk: chunk, n: 256 * mib / len(chunk), tail: []byte(sheetTail)})
}

// XLSXSparse is a tiny sheet whose rows each hold one cell in the last
// column (XFD): a reader that pads rows to their last cell makes 16,384
// cells of each.
func XLSXSparse() []byte {
	var b strings.Builder
	b.WriteString(sheetHead)
	for r := 1; r <= 2000; r++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, r, r)
	}
	b.WriteString(sheetTail)
	return xlsxWith(zipEntry{data: b.String()})
}

// XLSXSharedStrings has 48 MiB of empty shared strings (under the expanded
// bound): 3.9M entries.
func XLSXSharedStrings() []byte {
	return xlsxWith(zipEntry{data: sheetHead + `<row r="1"><c r="A1" t="s"><v>0</v></c></row>` + sheetTail},
		zipEntry{name: "xl/sharedStrings.xml", head: []byte(sstHead), chunk: repeatTo("<si><t/></si>")[:13*(mib/13+1)], n: 48, tail: []byte("</sst>")})
}

// XLSXLying declares 1 KiB for a sheet that inflates to 256 MiB.
func XLSXLying() []byte {
	return xlsxWith(zipEntry{head: []byte(sheetHead), chunk: repeatTo("<row><c><v>0</v></c></row>")[:26*(mib/26+1)], n: 256, tail: []byte(sheetTail), declared: 1 << 10})
}

const docxHead = `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`

// docxWith is a document whose word/document.xml is the entry passed.
func docxWith(doc zipEntry) []byte {
	doc.name = "word/document.xml"
	return zipOf(zipEntry{name: "[Content_Types].xml", data: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`}, doc)
}

// DocxRun is one text run of 256 MiB of zeros ("0").
func DocxRun() []byte {
	return docxWith(zipEntry{head: []byte(docxHead + `<w:p><w:r><w:t>`), chunk: bytes.Repeat([]byte("0"), mib), n: 256, tail: []byte(`</w:t></w:r></w:p></w:body></w:document>`)})
}

// DocxParagraphs is 48 MiB of paragraphs (under the expanded bound):
// 47 MiB of text.
func DocxParagraphs() []byte {
	p := "<w:p><w:r><w:t>" + strings.Repeat("零一二三四五六七八九", 100) + "</w:t></w:r></w:p>"
	return docxWith(zipEntry{head: []byte(docxHead), chunk: repeatTo(p)[:len(p)*(mib/len(p)+1)], n: 48, tail: []byte(`</w:body></w:document>`)})
}

// zlibRepeat is a zlib stream (PDF FlateDecode) of head, chunk n times,
// then tail.
func zlibRepeat(head, chunk []byte, n int, tail []byte) []byte {
	out := []byte{0x78, 0xda}
	out = append(out, deflateRepeat(head, chunk, n, tail)...)
	sum := adler32.Checksum(head)
	one := adler32.Checksum(chunk)
	for range n {
		sum = adler32Combine(sum, one, len(chunk))
	}
	sum = adler32Combine(sum, adler32.Checksum(tail), len(tail))
	return binary.BigEndian.AppendUint32(out, sum)
}

// adler32Combine is zlib's adler32_combine: the checksum of a then b from
// theirs and b's length.
func adler32Combine(a, b uint32, lenB int) uint32 {
	const base = 65521
	rem := uint32(lenB % base)
	sum1 := a & 0xffff
	sum2 := rem * sum1 % base
	sum1 += (b & 0xffff) + base - 1
	sum2 += (a >> 16) + (b >> 16) + base - rem
	for sum1 >= base {
		sum1 -= base
	}
	for sum2 >= base {
		sum2 -= base
	}
	return sum1 | sum2<<16
}

// pdfWith is a one-page PDF whose content stream is content (already
// encoded, with filter), the other objects given after it. trailer adds to
// the trailer dictionary.
func pdfWith(content []byte, filter string, extra ...string) []byte {
	return demosite.PDFOf(append(pdfObjects(content, filter), extra...))
}

// pdfObjects are the objects of a one-page PDF.
func pdfObjects(content []byte, filter string) []string {
	return []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d %s >>\nstream\n%s\nendstream", len(content), filter, content),
	}
}

// PDFStream is a page whose Flate content stream inflates to n MiB of c.
func PDFStream(c byte, n int) []byte {
	return pdfWith(zlibRepeat(nil, bytes.Repeat([]byte{c}, mib), n, nil), "/Filter /FlateDecode")
}

// PDFOperands is a page of 64 MiB of operands ("1 1 1 …") and no operator:
// a reader that stacks them holds 32M values.
func PDFOperands() []byte {
	return pdfWith(zlibRepeat(nil, bytes.Repeat([]byte("1 "), mib/2), 64, nil), "/Filter /FlateDecode")
}

// PDFCMap is a page showing a string of 512 KiB in a font whose ToUnicode
// map turns each byte into 200 characters: 100 MiB of text.
func PDFCMap() []byte {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <00> <FF> endcodespacerange " +
		"1 beginbfchar <01> <" + strings.Repeat("0041", 200) + "> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
	content := zlibRepeat([]byte("BT /F1 12 Tf <"), bytes.Repeat([]byte("01"), 32<<10), 16, []byte("> Tj ET"))
	objs := pdfObjects(content, "/Filter /FlateDecode")
	objs[3] = "<< /Type /Font /Subtype /Type0 /BaseFont /Bomb /ToUnicode 6 0 R >>"
	return demosite.PDFOf(append(objs, fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(cmap), cmap)))
}

// PDFXref's cross-reference table has a subsection starting at object
// 4,000,000,000: a reader that sizes its table by it allocates 128 GB.
func PDFXref() []byte {
	data := pdfWith([]byte("BT ET"), "")
	i := bytes.LastIndex(data, []byte("trailer"))
	return append(data[:i:i], append([]byte("4000000000 1\n0000000009 00000 n \n"), data[i:]...)...)
}

// PDFPages claims two billion pages.
func PDFPages() []byte {
	objs := pdfObjects([]byte("BT ET"), "")
	objs[1] = "<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>"
	return demosite.PDFOf(objs)
}
