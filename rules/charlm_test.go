package rules

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// A model trained, written and read back answers as the trained one, and
// knows its text: a character in its usual place fits better than a
// same-sound one.
func TestCharLM_RoundTrip(t *testing.T) {
	corpus := strings.Repeat("加强数据安全管理，推进政务数据共享。依法保护个人信息。\n", 50)
	m, err := TrainCharLM(strings.NewReader(corpus), 1, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := m.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	r, err := ReadCharLM(&buf, "x.bin")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.WriteTo(&bytes.Buffer{}); err == nil {
		t.Error("a model read from a file wrote itself")
	}
	text := []rune("推进政务数据共享")
	for _, mm := range []*CharLM{m, r} {
		syms := mm.Symbols(text)
		right := mm.Around(syms, 5, '数') // 政务[数]据
		wrong := mm.Around(syms, 5, '书')
		if !(right > wrong+5) {
			t.Errorf("数 %.2f, 书 %.2f: the model does not know its text", right, wrong)
		}
		if mm.Count('数') != 100 || mm.PairCount('数', '据') != 100 || mm.Count('书') != 0 {
			t.Errorf("counts: 数 %d, 数据 %d, 书 %d", mm.Count('数'), mm.PairCount('数', '据'), mm.Count('书'))
		}
		if !mm.Seen(mm.symbol('数'), mm.symbol('据')) || mm.Seen(mm.symbol('据'), mm.symbol('数')) {
			t.Error("seen pairs wrong")
		}
	}
	if math.Abs(m.Around(m.Symbols(text), 3, '政')-r.Around(r.Symbols(text), 3, '政')) > 1e-9 {
		t.Error("the read model scores differently")
	}
}

// A file that is no model, or a hostile one, is an error naming the file —
// never a panic, never gigabytes allocated.
func TestReadCharLM_Hostile(t *testing.T) {
	gz := func(parts ...[]byte) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		for _, p := range parts {
			w.Write(p)
		}
		w.Close()
		return b.Bytes()
	}
	uv := func(vs ...uint64) []byte {
		var out []byte
		for _, v := range vs {
			out = binary.AppendUvarint(out, v)
		}
		return out
	}
	magic := []byte(lmMagic)
	m, _ := TrainCharLM(strings.NewReader("加强数据安全管理。\n"), 1, 1, 1)
	var good bytes.Buffer
	m.WriteTo(&good)
	damaged := slices.Clone(good.Bytes())
	damaged[len(damaged)-6] ^= 0xff // in the gzip trailer's checksum
	if _, err := ReadCharLM(bytes.NewReader(good.Bytes()), "good.bin"); err != nil {
		t.Fatalf("a good file: %v", err)
	}
	for name, data := range map[string][]byte{
		"empty":             nil,
		"not gzip":          []byte("hello"),
		"wrong magic":       gz([]byte("xunjian-charlm-9\n")),
		"truncated":         gz(magic, uv(4, '一')),
		"huge symbol set":   gz(magic, uv(1<<40)),
		"pairs claimed":     gz(magic, uv(3, '一', 5, 5, 5, 1<<60)),
		"a pair twice":      gz(magic, uv(3, '一', 5, 5, 5, 2, 1, 1, 1, 0, 1, 1)),
		"trailing data":     gz(magic, uv(3, '一', 5, 5, 5, 1, 2, 1, 1, 0, 0, 7)),
		"damaged checksum":  damaged,
		"pair out of range": gz(magic, uv(3, '一', 5, 5, 5, 1, 100, 1, 1, 0)),
		"triples claimed":   gz(magic, uv(3, '一', 5, 5, 5, 0, 1<<62)),
		"triple too far":    gz(magic, uv(3, '一', 5, 5, 5, 0, 1, 1000, 1)),
	} {
		_, err := ReadCharLM(bytes.NewReader(data), "bad.bin")
		if err == nil || !strings.Contains(err.Error(), "bad.bin") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// The embedded model loads and is the size the README states.
func TestEmbeddedCharLM(t *testing.T) {
	set, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	lm := set.LM()
	if lm == nil || lm.Count('的') < 100000 {
		t.Fatalf("embedded model: %v", lm)
	}
	t.Log(lm.Stats())
	if mb := lm.Bytes() >> 20; mb > 64 {
		t.Errorf("the model takes %d MiB", mb)
	}
	// What one more rule set takes besides the shared model: the word
	// list, the matchers, the confusion sets.
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	again, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("a rule set besides the model: %.1f MiB live", float64(after.HeapAlloc-before.HeapAlloc)/(1<<20))
	runtime.KeepAlive(again)
	// Same sound (清 qīng → 情 qíng) and look-alike (健 → 键) both count.
	for _, c := range []struct{ from, to rune }{{'清', '情'}, {'健', '键'}, {'复', '覆'}} {
		found := false
		for _, s := range set.Confusables(c.from) {
			found = found || lm.Char(s) == c.to
		}
		if !found {
			t.Errorf("%c: %c is not among its confusables", c.from, c.to)
		}
	}
}

func TestToneless(t *testing.T) {
	for in, want := range map[string]string{"qíng": "qing", "lǜ": "lv", "nü": "nv", "zhòu": "zhou", "ma": "ma", "Lüe4": "lve"} {
		if got := toneless(in); got != want {
			t.Errorf("toneless(%q) = %q, want %q", in, got, want)
		}
	}
}

// The hash table answers every key put and nothing else.
func TestTable(t *testing.T) {
	tb := newTable[uint32](1000)
	for k := uint64(0); k < 1000; k++ {
		tb.put(k*7919, uint32(k+1))
	}
	for k := uint64(0); k < 1000; k++ {
		if got := tb.get(k * 7919); got != uint32(k+1) {
			t.Fatalf("get(%d) = %d", k*7919, got)
		}
		if got := tb.get(k*7919 + 1); got != 0 {
			t.Fatalf("get(%d) = %d, want 0", k*7919+1, got)
		}
	}
	var empty table[uint32]
	if empty.get(5) != 0 {
		t.Error("an empty table answered")
	}
	// Keys crafted to hash to one slot (multiples of the multiplier's
	// inverse): put refuses after maxProbe instead of taking quadratic time.
	inv := uint64(0x9E3779B97F4A7C15) // Newton's iteration for the inverse mod 2^64
	for range 6 {
		inv *= 2 - 0x9E3779B97F4A7C15*inv
	}
	crowd := newTable[uint32](4 * maxProbe)
	refused := false
	for j := uint64(1); j <= 2*maxProbe && !refused; j++ {
		refused = !crowd.put(j*inv, 1)
	}
	if !refused {
		t.Error("crowded keys were all put")
	}
}

// An operator's model replaces the embedded one; it is read again only
// when its file changes, and a damaged one fails the load naming the file.
func TestOperatorCharLM(t *testing.T) {
	dir := t.TempDir()
	m, _ := TrainCharLM(strings.NewReader(strings.Repeat("青溪区人民政府办公室。\n", 20)), 1, 1, 1)
	var b bytes.Buffer
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(dir, CharLMFile)
	os.WriteFile(name, b.Bytes(), 0o644)
	a, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Load(dir)
	if err != nil || a.LM() != again.LM() || a.LM().Count('青') != 20 {
		t.Fatalf("the operator's model: %v, shared %v", err, a.LM() == again.LM())
	}
	os.WriteFile(name, []byte("not a model"), 0o644)
	os.Chtimes(name, time.Now().Add(time.Minute), time.Now().Add(time.Minute))
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), name) {
		t.Errorf("a damaged model: %v", err)
	}
}
