package rules

import "math/bits"

// table is a read-only hash table from integer keys to values, filled once:
// open addressing with linear probing over a power-of-two array. A slot
// keeps a 32-bit fingerprint of its key (never 0: 0 marks an empty slot),
// so keys of up to 64 bits take 4 bytes; with fewer than 2^22 keys two keys
// share a fingerprint and a probe chain about once in 10^9 lookups, which
// can only add a count to an unseen pair. A Go map of the same counts takes
// three times the memory and twice the time to look up.
type table[V any] struct {
	fp    []uint32
	vals  []V
	shift uint
}

func newTable[V any](n int) table[V] {
	size := 1 << max(4, bits.Len(uint(n+n/3)))
	return table[V]{fp: make([]uint32, size), vals: make([]V, size), shift: uint(64 - bits.TrailingZeros(uint(size)))}
}

// slot is where a key's probe chain starts, and the key's fingerprint.
func (t *table[V]) slot(k uint64) (uint64, uint32) {
	h := k * 0x9E3779B97F4A7C15 // a bijection: two keys never share h
	return h >> t.shift, uint32(h) | 1
}

// maxProbe bounds a probe chain: keys that all hash near one slot (a
// crafted file) make put refuse rather than take quadratic time. The
// embedded model's longest chain is 134 (its triples, at load 0.72).
const maxProbe = 512

// put sets the value of a key not yet in the table; false when its probe
// chain would pass maxProbe.
func (t *table[V]) put(k uint64, v V) bool {
	i, fp := t.slot(k)
	mask := uint64(len(t.fp) - 1)
	for n := 0; t.fp[i] != 0; n++ {
		if n == maxProbe {
			return false
		}
		i = (i + 1) & mask
	}
	t.fp[i], t.vals[i] = fp, v
	return true
}

// get is a key's value, the zero value when it is absent.
func (t *table[V]) get(k uint64) V {
	if len(t.fp) == 0 {
		var zero V
		return zero
	}
	i, fp := t.slot(k)
	mask := uint64(len(t.fp) - 1)
	for {
		switch t.fp[i] {
		case fp:
			return t.vals[i]
		case 0:
			var zero V
			return zero
		}
		i = (i + 1) & mask
	}
}

// bytes is the memory the table takes.
func (t *table[V]) bytes(valueSize int) int { return len(t.fp) * (4 + valueSize) }
