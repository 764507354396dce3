package ion

import (
	"time"
	"unsafe"
)

// An interface holding a number, a string, a time.Time or a slice points to a
// copy of it on the heap (8 to 24 bytes), one allocation per value. Whole-input
// reads keep every value they box, so there the copies come from blocks of
// boxBlockLen: one allocation per block instead of one per value, and far
// fewer objects for the collector to mark while the result grows (in a
// fresh process reading the benchmark file, collection is about a third of
// Read's CPU time). A block stays alive while any of its values does, which
// is why streaming reads, whose callers may keep a value of a row and drop
// the rest, box each value on its own.
//
// The interface is assembled from T's type word and a pointer into the
// block (the layout of an empty interface, which the runtime has kept since
// Go 1.0 and which code such as reflect's relies on); a box is written once,
// before its interface exists, and never again, so the value an interface
// holds stays immutable as the language requires.

const boxBlockLen = 256

// eface is the layout of an empty interface (runtime.eface).
type eface struct {
	typ  unsafe.Pointer
	data unsafe.Pointer
}

// boxes hands out interfaces holding T values stored in shared blocks.
type boxes[T any] struct {
	typ   unsafe.Pointer // T's type word
	block []T
	n     int // boxes used in block
}

func (b *boxes[T]) box(v T) any {
	if b.n == len(b.block) {
		if b.typ == nil {
			var zero any = *new(T)
			b.typ = (*eface)(unsafe.Pointer(&zero)).typ
		}
		b.block, b.n = make([]T, boxBlockLen), 0
	}
	p := &b.block[b.n]
	b.n++
	*p = v
	var x any
	e := (*eface)(unsafe.Pointer(&x))
	e.typ, e.data = b.typ, unsafe.Pointer(p)
	return x
}

// boxSet holds the blocks of one parser, for the types the fast path boxes
// most.
type boxSet struct {
	ints    boxes[int64]
	floats  boxes[float64]
	times   boxes[time.Time]
	strings boxes[string]
	lists   boxes[[]any]
}

// The parser's boxing: from blocks in whole-input reads (useArena), else one
// allocation per value, as the conversion to an interface does.

func (p *fastParser) boxSet() *boxSet {
	if p.bx == nil {
		p.bx = new(boxSet)
	}
	return p.bx
}

func (p *fastParser) boxInt(n int64) any {
	if !p.useArena {
		return n
	}
	return p.boxSet().ints.box(n)
}

func (p *fastParser) boxFloat(f float64) any {
	if !p.useArena {
		return f
	}
	return p.boxSet().floats.box(f)
}

func (p *fastParser) boxTime(t time.Time) any {
	if !p.useArena {
		return t
	}
	return p.boxSet().times.box(t)
}

func (p *fastParser) boxString(s string) any {
	if !p.useArena || s == "" {
		return s
	}
	return p.boxSet().strings.box(s)
}

func (p *fastParser) boxList(l []any) any {
	if !p.useArena {
		return l
	}
	return p.boxSet().lists.box(l)
}
