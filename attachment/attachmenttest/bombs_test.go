package attachmenttest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/zlib"
	"io"
	"testing"
)

// The repeated blocks decode to exactly head, n chunks and tail, with
// checksums a strict reader accepts.
func TestRepeatedStreams(t *testing.T) {
	head, chunk, tail := []byte("<head>"), bytes.Repeat([]byte("<row><c><v>0</v></c></row>"), 2000), []byte("</tail>")
	want := append(append(append([]byte(nil), head...), bytes.Repeat(chunk, 5)...), tail...)
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(deflateRepeat(head, chunk, 5, tail))))
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("deflate: %d bytes, want %d (%v)", len(got), len(want), err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(zlibRepeat(head, chunk, 5, tail)))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := io.ReadAll(zr); err != nil || !bytes.Equal(got, want) {
		t.Errorf("zlib: %d bytes, want %d (%v)", len(got), len(want), err)
	}
	data := zipOf(zipEntry{name: "x", head: head, chunk: chunk, n: 5, tail: tail})
	zf, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := zf.File[0].Open()
	if got, err := io.ReadAll(rc); err != nil || !bytes.Equal(got, want) {
		t.Errorf("zip: %d bytes, want %d (%v)", len(got), len(want), err)
	}
}
