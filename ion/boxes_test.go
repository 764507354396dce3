package ion

import (
	"reflect"
	"runtime"
	"testing"
	"time"
)

// TestBoxesAreInterfaces: a value boxed in a block is, to every use of an
// interface, the value boxed by a conversion: same dynamic type, ==, type
// switches, reflection; and it survives collections while only interfaces
// point into its block.
func TestBoxesAreInterfaces(t *testing.T) {
	p := fastParser{useArena: true}
	now := time.Date(2024, 9, 2, 12, 10, 10, 453e6, time.UTC)
	var got, want []any
	for i := range 3 * boxBlockLen {
		n := int64(1000 + i)
		f := float64(i) + 0.5
		tm := now.Add(time.Duration(i) * time.Millisecond)
		s := "row-" + time.Duration(i).String()
		l := []any{n, s}
		got = append(got, p.boxInt(n), p.boxFloat(f), p.boxTime(tm), p.boxString(s), p.boxList(l))
		want = append(want, n, f, tm, s, l)
	}
	p.bx = nil // only the interfaces keep the blocks alive now
	runtime.GC()
	runtime.GC()
	for i := range got {
		g, w := got[i], want[i]
		if reflect.TypeOf(g) != reflect.TypeOf(w) || !reflect.DeepEqual(g, w) {
			t.Fatalf("box %d: %#v (%T), want %#v (%T)", i, g, g, w, w)
		}
		if _, isList := w.([]any); !isList && g != w {
			t.Fatalf("box %d: %#v != %#v", i, g, w)
		}
	}
	switch v := got[2].(type) {
	case time.Time:
		if !v.Equal(now) {
			t.Fatalf("first time box: %v", v)
		}
	default:
		t.Fatalf("first time box is a %T", v)
	}
	// Streaming reads box each value on its own.
	q := fastParser{}
	if q.boxInt(7000); q.bx != nil {
		t.Fatal("a streaming parser allocated box blocks")
	}
}
