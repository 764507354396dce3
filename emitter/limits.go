package emitter

import (
	"fmt"
	"reflect"
	"unsafe"
)

// This file keeps hostile values from crashing a program: every recursion
// over a caller's value (the JSON encoder, encoding/json behind it, fmt for
// slog attributes) is bounded before it starts, and a value that contains
// itself is an error instead of an endless recursion. A goroutine stack
// overflow is a fatal error that no recover can catch, so these checks are
// the only defence.

// maxIndirections bounds the pointers and interfaces followed on one path of
// a value. They add no JSON nesting, but each one is a recursive call.
const maxIndirections = maxDepth

// cycleCheckFrom is the nesting level (containers plus indirections) from
// which the encoder records the maps, slices and pointers on its path to
// detect cycles. Below it no value can have looped yet often enough to
// matter, so ordinary messages pay nothing; a cycle is found at most one
// period after it.
const cycleCheckFrom = 64

// ref identifies a map, a slice (its data and length: a slice containing
// itself has both equal) or a pointer on the path being encoded.
type ref struct {
	p unsafe.Pointer
	n int
}

// refPath is the stack of refs on the path being written. Membership is a
// scan while the path is short and a set once it is long, so a 1000-deep
// value costs linear time, not quadratic.
type refPath struct {
	list []ref
	set  map[ref]int // nil while the path is short
}

const refPathScan = 32

// push adds r, or reports that it is already on the path. The zero ref is a
// placeholder that keeps pushes and pops paired.
func (p *refPath) push(r ref) (cycle bool) {
	if r != (ref{}) {
		if p.set != nil {
			if p.set[r] > 0 {
				return true
			}
		} else {
			for _, q := range p.list {
				if q == r {
					return true
				}
			}
		}
		if p.set == nil && len(p.list) >= refPathScan {
			p.set = make(map[ref]int, 2*len(p.list))
			for _, q := range p.list {
				p.set[q]++
			}
		}
		if p.set != nil {
			p.set[r]++
		}
	}
	p.list = append(p.list, r)
	return false
}

func (p *refPath) pop() {
	r := p.list[len(p.list)-1]
	p.list = p.list[:len(p.list)-1]
	if p.set != nil && r != (ref{}) {
		if p.set[r]--; p.set[r] == 0 {
			delete(p.set, r)
		}
	}
}

// reset empties p, dropping its references.
func (p *refPath) reset() {
	clear(p.list[:cap(p.list)])
	p.list, p.set = p.list[:0], nil
}

func errCycle(t reflect.Type) error {
	return invalidf("the value contains itself (a cycle through a %s)", t)
}

func errIndirections() error {
	return fmt.Errorf("%w: more than %d pointers and interfaces on one path of the value", ErrTooLarge, maxIndirections)
}

// refOf returns the identity of a map, slice or pointer value, and false for
// other kinds and for nil.
func refOf(rv reflect.Value) (ref, bool) {
	switch rv.Kind() {
	case reflect.Map, reflect.Pointer:
		if rv.IsNil() {
			return ref{}, false
		}
		return ref{p: rv.UnsafePointer()}, true
	case reflect.Slice:
		if rv.IsNil() {
			return ref{}, false
		}
		return ref{p: rv.UnsafePointer(), n: rv.Len()}, true
	}
	return ref{}, false
}

// pushRef records v (a map, slice or pointer the encoder is about to enter)
// on the encoder's path once the path is deep enough, and fails if v is
// already on it. pushed tells the caller to call popRef when done.
func (e *encoder) pushRef(v any, level int) (pushed bool, err error) {
	if level < cycleCheckFrom {
		return false, nil
	}
	rv := reflect.ValueOf(v)
	r, ok := refOf(rv)
	if !ok {
		return false, nil
	}
	if e.path.push(r) {
		return false, errCycle(rv.Type())
	}
	return true, nil
}

func (e *encoder) popRef() { e.path.pop() }

// within runs write, which writes the map, slice or pointer v held by a
// container at nesting depth depth, with v recorded on the path.
func (e *encoder) within(v any, depth int, write func() error) error {
	pushed, err := e.pushRef(v, depth+e.indirect)
	if err != nil {
		return err
	}
	err = write()
	if pushed {
		e.popRef()
	}
	return err
}

var (
	stringerType  = reflect.TypeFor[fmt.Stringer]()
	errorType     = reflect.TypeFor[error]()
	formatterType = reflect.TypeFor[fmt.Formatter]()
)

// A shapeWalker checks, before a recursive library walks a value, that the
// walk is bounded: JSON nesting within maxDepth, indirections within
// maxIndirections, no cycle. forFmt selects the traversal of fmt's %+v
// (every field, pointers followed only at the top, methods String, Error
// and Format stop it); otherwise it is that of encoding/json (exported and
// embedded fields, MarshalJSON and MarshalText stop it).
type shapeWalker struct {
	forFmt   bool
	indirect int
	path     refPath
}

// checkJSONShape reports whether encoding/json can marshal rv without an
// unbounded recursion, depth being the nesting depth of rv's container.
func checkJSONShape(rv reflect.Value, depth int) error {
	w := shapeWalker{}
	return w.walk(rv, depth, true)
}

// checkFmtShape is checkJSONShape for fmt's %+v. fmt has no nesting limit
// of its own, but a limit is needed: maxDepth.
func checkFmtShape(v any) error {
	w := shapeWalker{forFmt: true}
	return w.walk(reflect.ValueOf(v), 0, true)
}

// stops reports whether the library calls a method of rv instead of
// walking it.
func (w *shapeWalker) stops(rv reflect.Value) bool {
	t := rv.Type()
	if w.forFmt {
		return rv.CanInterface() && (t.Implements(stringerType) || t.Implements(errorType) || t.Implements(formatterType))
	}
	if t.Implements(jsonMarshalerType) || t.Implements(textMarshalerType) {
		return true
	}
	pt := reflect.PointerTo(t)
	return rv.CanAddr() && (pt.Implements(jsonMarshalerType) || pt.Implements(textMarshalerType))
}

// holdsNoContainer reports whether a value of type t is a scalar, so that
// the elements of a slice or array of t need no walk.
func holdsNoContainer(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128, reflect.String:
		return true
	}
	return false
}

// walk checks rv, held by a container at nesting depth depth; top is true
// for the value itself (not reached through a container).
func (w *shapeWalker) walk(rv reflect.Value, depth int, top bool) error {
	if !rv.IsValid() || w.stops(rv) {
		return nil
	}
	switch rv.Kind() {
	case reflect.Interface, reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		if rv.Kind() == reflect.Pointer && w.forFmt && !top {
			return nil // fmt prints a nested pointer as an address
		}
		if w.indirect++; w.indirect > maxIndirections {
			return errIndirections()
		}
		defer func() { w.indirect-- }()
		if rv.Kind() == reflect.Pointer {
			if err := w.push(rv); err != nil {
				return err
			}
			defer w.pop()
		}
		// A top-level pointer keeps fmt's top: it prints &{...} and the
		// fields at the next level.
		return w.walk(rv.Elem(), depth, top && rv.Kind() == reflect.Pointer)
	case reflect.Struct:
		if depth+1 > maxDepth {
			return errDepth()
		}
		t := rv.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			d := depth + 1
			if !w.forFmt {
				tag := f.Tag.Get("json")
				if tag == "-" || (!f.IsExported() && !f.Anonymous) {
					continue
				}
				if f.Anonymous && (tag == "" || tag[0] == ',') {
					d = depth // encoding/json inlines the fields of an embedded struct
				}
			}
			if err := w.walk(rv.Field(i), d, false); err != nil {
				return err
			}
		}
	case reflect.Map:
		if rv.IsNil() {
			return nil
		}
		if depth+1 > maxDepth {
			return errDepth()
		}
		if err := w.push(rv); err != nil {
			return err
		}
		defer w.pop()
		t := rv.Type()
		walkKeys := w.forFmt && !holdsNoContainer(t.Key()) // encoding/json keys are text
		if holdsNoContainer(t.Elem()) && !walkKeys {
			return nil
		}
		iter := rv.MapRange()
		for iter.Next() {
			if walkKeys {
				if err := w.walk(iter.Key(), depth+1, false); err != nil {
					return err
				}
			}
			if err := w.walk(iter.Value(), depth+1, false); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			return nil
		}
		if depth+1 > maxDepth {
			return errDepth()
		}
		if holdsNoContainer(rv.Type().Elem()) {
			return nil
		}
		if rv.Kind() == reflect.Slice {
			if err := w.push(rv); err != nil {
				return err
			}
			defer w.pop()
		}
		for i := range rv.Len() {
			if err := w.walk(rv.Index(i), depth+1, false); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *shapeWalker) push(rv reflect.Value) error {
	r, _ := refOf(rv) // the zero ref for nil keeps push and pop paired
	if w.path.push(r) {
		return errCycle(rv.Type())
	}
	return nil
}

func (w *shapeWalker) pop() { w.path.pop() }
