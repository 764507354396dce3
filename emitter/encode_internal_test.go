package emitter

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// referenceFloat is appendFloat without its fast path for whole numbers.
func referenceFloat(f float64) string {
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		b, _ := appendFloat(nil, f*1, 64) // exponent form: not on the fast path
		return string(b)
	}
	b := strconv.AppendFloat(nil, f, 'f', -1, 64)
	if !bytes.ContainsRune(b, '.') {
		b = append(b, '.', '0')
	}
	return string(b)
}

// The fast path for whole floats writes what strconv's shortest form does.
func TestAppendFloatWholeFastPath(t *testing.T) {
	cases := []float64{0, math.Copysign(0, -1), 1, -1, 42, 1 << 52, 1<<53 - 1, -(1<<53 - 1), 1 << 53, -(1 << 53), 1e15, 1e20, 123456789012345, 0.5, -2.5, 1e21, 1e300}
	r := rand.New(rand.NewPCG(5, 6))
	for range 100000 {
		n := r.Int64N(1<<54) - 1<<53
		cases = append(cases, float64(n), float64(n)+0.5, float64(n>>r.IntN(53)))
	}
	for _, f := range cases {
		got, err := appendFloat(nil, f, 64)
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		if want := referenceFloat(f); string(got) != want {
			t.Fatalf("%v: got %s, want %s", f, got, want)
		}
	}
}
