package ion

import (
	"math/big"
	"reflect"
	"sync"
	"time"
)

// Exact decimals for typed targets: a field whose Go type needs an exact
// number (ints, durations, big ints, decimals) is read from the exact
// decimal whatever the options, so that 1234567.123456789 seconds fill a
// time.Duration to the nanosecond.

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

var tenPowMaxDigits = sync.OnceValue(func() *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(maxNumberDigits), nil)
})

// checkDigits returns errNumberDigits when |n| has more than
// maxNumberDigits digits.
func checkDigits(n *big.Int) error {
	if n.BitLen() > maxNumberDigits*3 && n.CmpAbs(tenPowMaxDigits()) >= 0 {
		return errNumberDigits
	}
	return nil
}

// significantDigits counts the digits of text (an int or decimal literal's
// digits, sign and point skipped) from its first non-zero digit on, up to
// the first byte that is neither a digit nor the point.
func significantDigits(text []byte) int {
	n, started := 0, false
	for _, c := range text {
		switch {
		case c == '-' || c == '+' || c == '.':
		case !isDigit(c):
			return n
		case started || c != '0':
			started = true
			n++
		}
	}
	return n
}
