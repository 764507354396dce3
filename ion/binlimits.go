package ion

import "fmt"

// The binary side of the limits in limits.go: binaryGuard holds each
// top-level value whole before the library sees it, so its annotations, its
// timestamps' lengths and, for a symbol table, its symbols and imports are
// checked there.

// checkLimits checks the top-level value v (complete, at stream offset off)
// against the limits, and keeps the symbol table context up to date.
func (g *binaryGuard) checkLimits(v []byte, off int64) error {
	if v[0] == 0xE0 {
		g.ctx = symbolContext{} // a version marker
		return nil
	}
	if err := scanLimits(v, off, 0); err != nil {
		return err
	}
	if t, ok := binarySymbolTable(v, g.ctx.aliased); ok {
		return g.ctx.table(t.syms, t.imps, t.appends, t.aliased, off)
	}
	return nil
}

// binHeader reads the type descriptor and length of the value at b[i:]:
// its tag and the bounds of its body; ok is false when b ends before.
func binHeader(b []byte, i int) (tag byte, start, end int, ok bool) {
	tag = b[i]
	i++
	length, varLength := descriptorLength(tag)
	n := uint64(length)
	if varLength {
		if n, i, ok = binVarUInt(b, i); !ok {
			return tag, 0, 0, false
		}
	}
	if n > uint64(len(b)-i) {
		return tag, 0, 0, false
	}
	return tag, i, i + int(n), true
}

func binVarUInt(b []byte, i int) (uint64, int, bool) {
	var v uint64
	for ; i < len(b) && v < 1<<56; i++ {
		v = v<<7 | uint64(b[i]&0x7F)
		if b[i]&0x80 != 0 {
			return v, i + 1, true
		}
	}
	return 0, i, false
}

// scanLimits checks the annotations and timestamps of the values in b and
// of their children, up to the depth the package reads. Malformed bytes end
// the scan: they are the library's errors.
func scanLimits(b []byte, off int64, depth int) error {
	return scanValues(b, off, depth, false)
}

func scanValues(b []byte, off int64, depth int, fields bool) error {
	if depth > maxDepth {
		return nil
	}
	for i := 0; i < len(b); {
		if fields {
			var ok bool
			if _, i, ok = binVarUInt(b, i); !ok || i >= len(b) {
				return nil
			}
		}
		tag, start, end, ok := binHeader(b, i)
		if !ok {
			return nil
		}
		if tag>>4 == 0xE && tag != 0xE0 {
			annLen, j, ok := binVarUInt(b[:end], start)
			if !ok {
				return nil
			}
			if annLen >= uint64(end-j) {
				// No room for the value: the library computes that room
				// as an unsigned difference that wraps around, then
				// reads annotation IDs past the wrapper, one token for
				// each byte of the rest of the input.
				return &truncatedError{offset: off + int64(i), msg: fmt.Sprintf("the annotations declare %d bytes, their wrapper holds %d", annLen, end-j)}
			}
			n := 0
			for _, c := range b[j : j+int(annLen)] {
				n += int(c >> 7)
			}
			if n > maxAnnotations {
				return annotationsError(off + int64(i))
			}
			// The annotated value.
			if tag, start, end, ok = binHeader(b[:end], j+int(annLen)); !ok || tag>>4 == 0xE {
				return nil
			}
		}
		if tag>>4 == 0x6 && end-start > maxTimestampBytes {
			return &limitError{offset: off + int64(i), err: errLongTimestamp}
		}
		if l := tag & 0x0F; l != 0x0F {
			switch tag >> 4 {
			case 0xB, 0xC:
				if err := scanValues(b[start:end], off+int64(start), depth+1, false); err != nil {
					return err
				}
			case 0xD:
				if err := scanValues(b[start:end], off+int64(start), depth+1, true); err != nil {
					return err
				}
			}
		}
		i = end
	}
	return nil
}

// binaryTable describes a binary local symbol table: the number of its
// symbols and imported tables, whether it appends to the current table
// (imports: $ion_symbol_table) and whether one of its symbols is
// $ion_symbol_table.
type binaryTable struct {
	syms, imps       int
	appends, aliased bool
}

// binarySymbolTable reports whether v is a local symbol table: a struct
// whose first annotation is $ion_symbol_table, symbol ID 3, or when
// aliased (a local symbol has that text) any local symbol ID.
func binarySymbolTable(v []byte, aliased bool) (binaryTable, bool) {
	var t binaryTable
	tag, start, end, ok := binHeader(v, 0)
	if !ok || tag>>4 != 0xE {
		return t, false
	}
	annLen, j, ok := binVarUInt(v[:end], start)
	if !ok || annLen == 0 || annLen >= uint64(end-j) {
		return t, false
	}
	if sid, _, ok := binVarUInt(v[:j+int(annLen)], j); !ok || (sid != 3 && (!aliased || sid < 10)) {
		return t, false
	}
	tag, start, end, ok = binHeader(v[:end], j+int(annLen))
	if !ok || tag>>4 != 0xD || tag&0x0F == 0x0F {
		return t, false
	}
	b := v[:end]
	for i := start; i < end; {
		field, k, ok := binVarUInt(b, i)
		if !ok || k >= end {
			break
		}
		ftag, fstart, fend, ok := binHeader(b, k)
		if !ok {
			break
		}
		switch {
		case field == 7 && ftag>>4 == 0xB && ftag&0x0F != 0x0F: // symbols: [...]
			n, aliased := countValues(b[fstart:fend])
			t.syms += n
			t.aliased = t.aliased || aliased
		case field == 6 && ftag>>4 == 0xB && ftag&0x0F != 0x0F: // imports: [...]
			n, _ := countValues(b[fstart:fend])
			t.imps += n
		case field == 6 && ftag == 0x71 && b[fstart] == 3: // imports: $ion_symbol_table
			t.appends = true
		}
		i = fend
	}
	return t, true
}

// countValues counts the values (not NOP pads) in b, and reports whether
// one is the string $ion_symbol_table.
func countValues(b []byte) (n int, tableName bool) {
	for i := 0; i < len(b); {
		tag, start, end, ok := binHeader(b, i)
		if !ok {
			break
		}
		if tag>>4 != 0 || tag == 0x0F {
			n++
		}
		if tag>>4 == 0x8 && string(b[start:end]) == "$ion_symbol_table" {
			tableName = true
		}
		i = end
	}
	return n, tableName
}
