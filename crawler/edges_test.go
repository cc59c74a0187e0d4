package crawler

import (
	"fmt"
	"strings"
	"testing"
)

// The edges come back as they went in, whether kept in memory or spilled:
// interned texts, long texts written inline, texts past the intern table.
func TestEdgesRoundTrip(t *testing.T) {
	var want []Edge
	var l Edges
	defer l.Close()
	long := strings.Repeat("很长的链接文字", 10)
	for i := range 300_000 {
		e := Edge{From: int32(i % 5000), To: int32(i), Boilerplate: i%3 == 0, Hidden: i%7 == 0}
		switch i % 4 {
		case 0:
			e.Anchor = "首页"
		case 1:
			e.Anchor = fmt.Sprintf("文章%d", i) // distinct: the table fills, then inline
		case 2:
			e.Anchor = long + fmt.Sprint(i)
		}
		want = append(want, e)
		l.Add(e)
	}
	if l.Spilled() == 0 {
		t.Fatalf("%d edges were not spilled to disk", l.Len())
	}
	for range 2 { // read twice: a pass leaves the list whole
		i := 0
		for e := range l.All() {
			if e != want[i] {
				t.Fatalf("edge %d = %+v, want %+v", i, e, want[i])
			}
			i++
		}
		if l.Err() != nil || i != len(want) || l.Len() != len(want) {
			t.Fatalf("read %d of %d edges (Len %d), err %v", i, len(want), l.Len(), l.Err())
		}
	}
	// Stopping early is allowed.
	for range l.All() {
		break
	}
}

// A zero list holds edges in memory (tests build results so); a broken
// record is an error, not a panic.
func TestEdgesInMemoryAndDamage(t *testing.T) {
	var l Edges
	l.Add(Edge{From: 1, To: 2, Anchor: "更多"})
	var got []Edge
	for e := range l.All() {
		got = append(got, e)
	}
	if len(got) != 1 || got[0].Anchor != "更多" || l.Spilled() != 0 {
		t.Fatalf("got %+v", got)
	}
	l.buf = l.buf[:len(l.buf)-1] // cut the last byte: a short record
	for range l.All() {
	}
	if l.Err() == nil {
		t.Fatal("a cut record read without error")
	}
}
