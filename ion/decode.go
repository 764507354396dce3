package ion

import (
	"math/big"
	"reflect"
	"strings"
	"sync"
	"time"
)

// Direct decoding: a top-level struct read into a Go struct is stored field
// by field as the parser (fast path or library walk) meets each field, so
// that no map is built for the row. Field values themselves are read as for
// a map row and converted by assign, the one home of the conversion rules
// (shared with DecodeRow). A field whose Go type needs an exact number
// (ints, durations, big ints, decimals) is read with exact decimals, so
// that 1234567.123456789 seconds fill a time.Duration to the nanosecond.

// target is a struct being filled.
type target struct {
	v    reflect.Value
	info *structInfo
	// seen says how each field was set in this row: 0 not yet, 1 by a
	// case-insensitive match, 2 by its exact name (which a
	// case-insensitive match does not overwrite, as in DecodeRow).
	seen []uint8
	// byPos caches, for the k-th field of the previous row, its name and
	// what field returned: rows repeat their fields in the same order.
	byPos []posField
}

type posField struct {
	key   string
	i     int
	exact bool
}

type structInfo struct {
	fields []fieldInfo
	byName map[string]int
	exact  []exactness
	typed  []typedField
}

// typedField: a field kind the fast path stores without boxing its value.
type typedField uint8

const (
	typedNone typedField = iota
	typedString
	typedTime
)

var structInfos sync.Map // reflect.Type -> *structInfo

func structInfoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	fields := structFields(t)
	si := &structInfo{fields: fields, byName: make(map[string]int, len(fields)), exact: make([]exactness, len(fields)), typed: make([]typedField, len(fields))}
	for i, f := range fields {
		if _, dup := si.byName[f.name]; !dup {
			si.byName[f.name] = i
		}
		ft := t.FieldByIndex(f.index).Type
		si.exact[i] = needsExact(ft)
		switch {
		case ft.Kind() == reflect.String:
			si.typed[i] = typedString
		case ft == timeType:
			si.typed[i] = typedTime
		}
	}
	v, _ := structInfos.LoadOrStore(t, si)
	return v.(*structInfo)
}

// isPlainStruct reports whether t is a struct decoded field by field (not
// one of the struct types that stand for a single Ion value).
func isPlainStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && !isTimeKind(t) && t != bigIntValType && t != decimalValTyp && t != annotatedType
}

// targetFor returns the target for dst when it is a plain struct, else nil.
func targetFor(dst reflect.Value) *target {
	if !isPlainStruct(dst.Type()) {
		return nil
	}
	info := structInfoOf(dst.Type())
	return &target{v: dst, info: info, seen: make([]uint8, len(info.fields))}
}

func (t *target) reset() { clear(t.seen) }

// exactness of field i (-1: a field not stored).
func (t *target) exactness(i int) exactness {
	if i < 0 {
		return exactNone
	}
	return t.info.exact[i]
}

// fieldAt is field for the k-th field of a row.
func (t *target) fieldAt(k int, key string) (int, bool) {
	if k < len(t.byPos) && t.byPos[k].key == key {
		return t.byPos[k].i, t.byPos[k].exact
	}
	i, exact := t.field(key)
	if k < len(t.byPos) {
		t.byPos[k] = posField{key, i, exact}
	} else if k == len(t.byPos) && k < 256 {
		t.byPos = append(t.byPos, posField{key, i, exact})
	}
	return i, exact
}

// field returns the index of the field for key (-1 if none) and whether
// key is its exact name.
func (t *target) field(key string) (int, bool) {
	if i, ok := t.info.byName[key]; ok {
		return i, true
	}
	for i, f := range t.info.fields {
		if strings.EqualFold(f.name, key) {
			return i, false
		}
	}
	return -1, false
}

// claim reports whether a value for field i, found by its exact name or
// not, is to be stored, and records it.
func (t *target) claim(i int, exactName bool) bool {
	if !exactName && t.seen[i] == 2 {
		return false
	}
	t.seen[i] = 1
	if exactName {
		t.seen[i] = 2
	}
	return true
}

// set stores v in field i, found by its exact name or not.
func (t *target) set(i int, exactName bool, v any) error {
	if !t.claim(i, exactName) {
		return nil
	}
	f := t.info.fields[i]
	return assign(t.v.FieldByIndex(f.index), v, f.name)
}

// typedValue stores a plain string or an Ion timestamp in field i
// without boxing it, when the field and the value are of those kinds
// (stored reports whether it did). Other values go through value and
// assign.
func (p *fastParser) typedValue(t *target, i int, exactName bool) (stored bool, err error) {
	if i < 0 || p.c.isoStrings {
		return false, nil
	}
	if err := p.skipWS(); err != nil {
		return false, err
	}
	b := p.b
	switch t.info.typed[i] {
	case typedString:
		if b[p.i] != '"' {
			return false, nil
		}
		text, err := p.text('"')
		if err != nil {
			return false, err
		}
		if t.claim(i, exactName) {
			t.v.FieldByIndex(t.info.fields[i].index).SetString(p.strText(text))
		}
		return true, nil
	case typedTime:
		j := p.i
		if j+4 >= len(b) || !isDigit(b[j]) || !isDigit(b[j+1]) || !isDigit(b[j+2]) || !isDigit(b[j+3]) || (b[j+4] != '-' && b[j+4] != 'T') {
			return false, nil
		}
		parts, err := p.timestampParts()
		if err != nil {
			return false, err
		}
		if t.claim(i, exactName) {
			*t.v.FieldByIndex(t.info.fields[i].index).Addr().Interface().(*time.Time) = p.c.tsTime(parts)
		}
		return true, nil
	}
	return false, nil
}

// exactness says how decimals are read for a target type.
type exactness uint8

const (
	exactNone exactness = iota // as the options say
	exactInts                  // an integer: exact, float64 when that is exact
	exactFull                  // *Decimal, always
)

var exactTypes sync.Map // reflect.Type -> exactness

// needsExact says how values stored in t should be read: exactFull when t
// (or what it holds) is a duration, a big int or a decimal, exactInts when
// it holds integers.
func needsExact(t reflect.Type) exactness {
	if v, ok := exactTypes.Load(t); ok {
		return v.(exactness)
	}
	v := needsExactIn(t, map[reflect.Type]bool{})
	exactTypes.Store(t, v)
	return v
}

func needsExactIn(t reflect.Type, visiting map[reflect.Type]bool) exactness {
	switch t {
	case durationType, bigIntType, bigIntValType, decimalType, decimalValTyp:
		return exactFull
	case timeType, reflect.TypeFor[*big.Float](), reflect.TypeFor[time.Location]():
		return exactNone
	}
	if visiting[t] {
		return exactNone
	}
	visiting[t] = true
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return exactInts
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return needsExactIn(t.Elem(), visiting)
	case reflect.Struct:
		e := exactNone
		if isPlainStruct(t) {
			for _, f := range structFields(t) {
				e = max(e, needsExactIn(t.FieldByIndex(f.index).Type, visiting))
			}
		}
		return e
	}
	return exactNone
}

// decimalMode is how decimals are being read (saved and restored around
// a value read with pushExact).
type decimalMode struct{ exact, ints bool }

// pushExact sets decimals to be read as e says, returning the previous mode.
func (c *config) pushExact(e exactness) decimalMode {
	prev := decimalMode{c.exactDecimals, c.intDecimals}
	switch e {
	case exactInts:
		c.intDecimals = true
	case exactFull:
		c.exactDecimals = true
	}
	return prev
}

func (c *config) popExact(m decimalMode) { c.exactDecimals, c.intDecimals = m.exact, m.ints }

// structInto reads the struct at p.i into t (the fast path's structure,
// storing fields instead of building a map).
func (p *fastParser) structInto(t *target) error {
	t.reset()
	p.i++ // '{'
	if err := p.skipWS(); err != nil {
		return err
	}
	if p.b[p.i] == '}' {
		p.i++
		return nil
	}
	for k := 0; ; k++ {
		key, err := p.fieldName(0, k)
		if err != nil {
			return err
		}
		if err := p.skipWS(); err != nil {
			return err
		}
		if p.b[p.i] != ':' {
			return errFallback
		}
		p.i++
		if p.i >= len(p.b) {
			return errMore
		}
		if p.b[p.i] == ':' {
			return errFallback
		}
		i, exactName := t.fieldAt(k, key)
		stored, err := p.typedValue(t, i, exactName)
		if err != nil {
			return withKey(err, key)
		}
		if !stored {
			arena := p.useArena
			p.useArena = arena && i >= 0 // an ignored field's strings would pin arena blocks
			mode := p.c.pushExact(t.exactness(i))
			v, err := p.value(1)
			p.c.popExact(mode)
			p.useArena = arena
			if err != nil {
				return withKey(err, key)
			}
			if i >= 0 {
				if err := t.set(i, exactName, v); err != nil {
					return &convErr{err: err}
				}
			}
		}
		if done, err := p.next('}'); err != nil {
			return err
		} else if done {
			return nil
		}
	}
}

// top parses the top-level value at p.i: a struct into t when t is not
// nil, anything else as a value.
func (p *fastParser) top(t *target) (any, error) {
	if p.b[p.i] == '{' && p.i+1 < len(p.b) && p.b[p.i+1] != '{' {
		if t != nil {
			if err := p.structInto(t); err != nil {
				return nil, err
			}
			p.rows++
			return nil, nil
		}
		m, err := p.structure(0, p.width)
		if err != nil {
			return nil, err
		}
		p.width = len(m)
		p.rows++
		return m, nil
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if p.i < len(p.b) && !isWS(p.b[p.i]) {
		// What follows a top-level scalar or list could change its
		// meaning ("x"::..., a comment, a second value): the library
		// decides.
		return nil, errFallback
	}
	p.rows++
	return v, nil
}
