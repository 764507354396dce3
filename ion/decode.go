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
}

type structInfo struct {
	fields []fieldInfo
	byName map[string]int
	exact  []bool
}

var structInfos sync.Map // reflect.Type -> *structInfo

func structInfoOf(t reflect.Type) *structInfo {
	if si, ok := structInfos.Load(t); ok {
		return si.(*structInfo)
	}
	fields := structFields(t)
	si := &structInfo{fields: fields, byName: make(map[string]int, len(fields)), exact: make([]bool, len(fields))}
	for i, f := range fields {
		if _, dup := si.byName[f.name]; !dup {
			si.byName[f.name] = i
		}
		si.exact[i] = needsExact(t.FieldByIndex(f.index).Type)
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

// set stores v in field i, found by its exact name or not.
func (t *target) set(i int, exactName bool, v any) error {
	if !exactName && t.seen[i] == 2 {
		return nil
	}
	f := t.info.fields[i]
	if err := assign(t.v.FieldByIndex(f.index), v, f.name); err != nil {
		return err
	}
	t.seen[i] = 1
	if exactName {
		t.seen[i] = 2
	}
	return nil
}

var exactTypes sync.Map // reflect.Type -> bool

// needsExact reports whether values stored in t should be read with exact
// decimals: t (or what it holds) is an integer, a duration, a big int or a
// decimal.
func needsExact(t reflect.Type) bool {
	if v, ok := exactTypes.Load(t); ok {
		return v.(bool)
	}
	v := needsExactIn(t, map[reflect.Type]bool{})
	exactTypes.Store(t, v)
	return v
}

func needsExactIn(t reflect.Type, visiting map[reflect.Type]bool) bool {
	switch t {
	case durationType, bigIntType, bigIntValType, decimalType, decimalValTyp:
		return true
	case timeType, reflect.TypeFor[*big.Float](), reflect.TypeFor[time.Location]():
		return false
	}
	if visiting[t] {
		return false
	}
	visiting[t] = true
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return needsExactIn(t.Elem(), visiting)
	case reflect.Struct:
		if !isPlainStruct(t) {
			return false
		}
		for _, f := range structFields(t) {
			if needsExactIn(t.FieldByIndex(f.index).Type, visiting) {
				return true
			}
		}
	}
	return false
}

// withExact runs read with exact decimals when exact is set.
func withExact(c *config, exact bool, read func() (any, error)) (any, error) {
	if !exact || c.exactDecimals {
		return read()
	}
	c.exactDecimals = true
	defer func() { c.exactDecimals = false }()
	return read()
}

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
		i, exactName := t.field(key)
		v, err := withExact(p.c, i >= 0 && t.info.exact[i], func() (any, error) { return p.value(1) })
		if err != nil {
			return withKey(err, key)
		}
		if i >= 0 {
			if err := t.set(i, exactName, v); err != nil {
				return &convErr{err: err}
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
