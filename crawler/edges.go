package crawler

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
)

// Edges are a crawl's links from pages to targets. They are most of what a
// crawl learns (a page of a district site carries 30 to 100 links, its menus
// the same on every page), so they are kept as a few bytes each and, past
// spillBytes, in an unlinked temporary file: a crawl's memory grows with its
// frontier and its targets, not with its links. All reads them back in the
// order they were added.
//
// The zero value keeps everything in memory until it spills; Add is not safe
// for concurrent use (the crawler adds under its lock), and All must not run
// while edges are added.
type Edges struct {
	buf     []byte   // encoded edges not yet written to file
	file    *os.File // the spilled edges, nil until the first spill
	spilled int64    // bytes in file
	noSpill bool     // the file could not be made or written: memory only
	n       int
	anchors []string          // interned anchor texts, by id
	ids     map[string]uint32 // anchor text → id
	err     error             // the first read error of All
}

const (
	// spillBytes is how much is encoded in memory before it is written out.
	spillBytes = 1 << 20
	// maxInterned bounds the distinct anchor texts kept once; maxInternLen
	// the length of one (a longer text is rarely repeated: written inline).
	maxInterned  = 1 << 16
	maxInternLen = 48
)

const (
	edgeBoilerplate byte = 1 << iota
	edgeHidden
	edgeInline // the anchor text follows; else its id
)

// Add appends an edge.
func (l *Edges) Add(e Edge) {
	var flags byte
	if e.Boilerplate {
		flags |= edgeBoilerplate
	}
	if e.Hidden {
		flags |= edgeHidden
	}
	id, interned := l.intern(e.Anchor)
	if !interned {
		flags |= edgeInline
	}
	l.buf = binary.AppendUvarint(l.buf, uint64(uint32(e.From)))
	l.buf = binary.AppendUvarint(l.buf, uint64(uint32(e.To)))
	l.buf = append(l.buf, flags)
	if interned {
		l.buf = binary.AppendUvarint(l.buf, uint64(id))
	} else {
		l.buf = binary.AppendUvarint(l.buf, uint64(len(e.Anchor)))
		l.buf = append(l.buf, e.Anchor...)
	}
	l.n++
	if len(l.buf) >= spillBytes && !l.noSpill {
		l.spill()
	}
}

// intern is the id of an anchor text kept once, when it is short and the
// table has room.
func (l *Edges) intern(text string) (uint32, bool) {
	if id, ok := l.ids[text]; ok {
		return id, true
	}
	if len(text) > maxInternLen || len(l.anchors) >= maxInterned {
		return 0, false
	}
	if l.ids == nil {
		l.ids = map[string]uint32{}
	}
	id := uint32(len(l.anchors))
	l.anchors = append(l.anchors, text)
	l.ids[text] = id
	return id, true
}

// spill writes the buffer to the temporary file. A file that cannot be made
// or written (no temporary directory, a full disk) leaves the edges in
// memory: a crawl is never lost for want of scratch space.
func (l *Edges) spill() {
	if l.file == nil {
		f, err := os.CreateTemp("", "xunjian-edges-*")
		if err != nil {
			l.noSpill = true
			return
		}
		// Unlinked at once: nothing is left behind, even by a killed
		// process; the open file lives until Close.
		_ = os.Remove(f.Name())
		l.file = f
	}
	if _, err := l.file.WriteAt(l.buf, l.spilled); err != nil {
		l.noSpill = true
		return
	}
	l.spilled += int64(len(l.buf))
	l.buf = l.buf[:0]
}

// Len is the number of edges added.
func (l *Edges) Len() int { return l.n }

// Spilled is the number of bytes kept on disk.
func (l *Edges) Spilled() int64 { return l.spilled }

// All yields the edges in the order they were added. A read error of the
// temporary file ends it early; Err reports it.
func (l *Edges) All() iter.Seq[Edge] {
	return func(yield func(Edge) bool) {
		var r io.Reader = bytes.NewReader(l.buf)
		if l.spilled > 0 {
			r = io.MultiReader(io.NewSectionReader(l.file, 0, l.spilled), r)
		}
		br := bufio.NewReaderSize(r, 64<<10)
		for {
			e, err := l.decode(br)
			if err == io.EOF {
				return
			}
			if err != nil {
				l.err = fmt.Errorf("crawler: reading the link list back: %w", err)
				return
			}
			if !yield(e) {
				return
			}
		}
	}
}

func (l *Edges) decode(br *bufio.Reader) (Edge, error) {
	from, err := binary.ReadUvarint(br)
	if err != nil {
		return Edge{}, err // io.EOF here is the clean end
	}
	to, err := binary.ReadUvarint(br)
	if err == nil {
		var flags byte
		if flags, err = br.ReadByte(); err == nil {
			var v uint64
			if v, err = binary.ReadUvarint(br); err == nil {
				e := Edge{From: int32(from), To: int32(to), Boilerplate: flags&edgeBoilerplate != 0, Hidden: flags&edgeHidden != 0}
				if flags&edgeInline == 0 {
					if v >= uint64(len(l.anchors)) {
						return Edge{}, errors.New("anchor id out of range")
					}
					e.Anchor = l.anchors[v]
					return e, nil
				}
				b := make([]byte, v)
				if _, err = io.ReadFull(br, b); err == nil {
					e.Anchor = string(b)
					return e, nil
				}
			}
		}
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return Edge{}, err
}

// Err is the error that ended the last All early, if any.
func (l *Edges) Err() error { return l.err }

// Close gives the temporary file back.
func (l *Edges) Close() error {
	if l.file == nil {
		return nil
	}
	err := l.file.Close()
	l.file = nil
	return err
}
