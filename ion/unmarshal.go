package ion

import (
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DecodeRow stores a row as returned by [Read] into v, a non-nil pointer to a
// struct, a map with string keys, or an interface. Struct fields are matched
// by their `ion:"name"` tag, else by their Go name (exact, then
// case-insensitive); `ion:"-"` skips a field, unknown row fields are ignored,
// and fields of embedded structs are promoted.
//
// Conversions: numbers convert between Go number kinds when the value fits
// exactly (so a Kestra decimal such as 100.000000 fills an int field, 100.5
// does not); *big.Int and *[Decimal] fields take ints and decimals; a
// time.Time field takes timestamps and the time-annotated strings; a
// time.Duration field takes seconds (a number, or a string of seconds or
// ISO-8601 such as "PT1.5S", as Kestra reads a java.time.Duration; from a
// map read without ExactDecimals, a decimal has become a float64, exact to
// the nanosecond up to about 100 days); []byte
// takes blobs; null leaves the zero value (nil for pointers); any other
// mismatch is an error naming the field.
func DecodeRow(row map[string]any, v any) error {
	return decodeRow(row, v)
}

func decodeRow(row map[string]any, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return fmt.Errorf("decode into %T: need a non-nil pointer", v)
	}
	return assign(rv.Elem(), row, "")
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	bigIntType  = reflect.TypeFor[*big.Int]()
	decimalType = reflect.TypeFor[*Decimal]()
	bytesType   = reflect.TypeFor[[]byte]()
)

type fieldInfo struct {
	name  string
	index []int
	omit  bool // omitempty (for the writer)
}

var fieldCache sync.Map // reflect.Type -> []fieldInfo

func structFields(t reflect.Type) []fieldInfo {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]fieldInfo)
	}
	var out []fieldInfo
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			tag := sf.Tag.Get("ion")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(append([]int{}, index...), i)
			if sf.Anonymous && name == "" {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct && ft != timeType {
					if sf.Type.Kind() != reflect.Pointer {
						walk(ft, idx)
					}
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			out = append(out, fieldInfo{name: name, index: idx, omit: strings.Contains(opts, "omitempty")})
		}
	}
	walk(t, nil)
	fieldCache.Store(t, out)
	return out
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// mismatch is the error for a value that does not fit dst.
func mismatch(dst reflect.Value, val any, path string) error {
	if path == "" { // a top-level value: the *Error says which row
		return fmt.Errorf("cannot store %T %v in %s", val, short(val), dst.Type())
	}
	return fmt.Errorf("field %s: cannot store %T %v in %s", path, val, short(val), dst.Type())
}

func assign(dst reflect.Value, val any, path string) error {
	if !dst.CanSet() {
		return fmt.Errorf("field %s: reached through an unexported embedded struct", path)
	}
	if val == nil {
		dst.SetZero()
		return nil
	}
	if done, err := assignCommon(dst, val, path); done {
		return err
	}
	fail := func() error { return mismatch(dst, val, path) }
	t := dst.Type()
	if a, ok := val.(Annotated); ok && t.Kind() != reflect.Interface && t != reflect.TypeFor[Annotated]() {
		val = a.Value
		if val == nil {
			dst.SetZero()
			return nil
		}
	}
	switch {
	case t.Kind() == reflect.Interface:
		rv := reflect.ValueOf(val)
		if !rv.Type().AssignableTo(t) {
			return fail()
		}
		dst.Set(rv)
		return nil
	case t == timeType, t == bigIntType, t == decimalType, t == bytesType:
		return assignSpecial(dst, val, fail)
	case t == durationType:
		d, err := durationOf(val)
		if err != nil {
			return fmt.Errorf("%w: %w", fail(), err)
		}
		dst.SetInt(int64(d))
		return nil
	case t.Kind() == reflect.Pointer:
		p := reflect.New(t.Elem())
		if err := assign(p.Elem(), val, path); err != nil {
			return err
		}
		dst.Set(p)
		return nil
	}
	if rv := reflect.ValueOf(val); rv.Type() == t {
		dst.Set(rv)
		return nil
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := val.(string)
		if !ok {
			return fail()
		}
		dst.SetString(s)
	case reflect.Bool:
		b, ok := val.(bool)
		if !ok {
			return fail()
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := exactInt(val)
		if !ok || !n.IsInt64() || dst.OverflowInt(n.Int64()) {
			return fail()
		}
		dst.SetInt(n.Int64())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, ok := exactInt(val)
		if !ok || n.Sign() < 0 || !n.IsUint64() || dst.OverflowUint(n.Uint64()) {
			return fail()
		}
		dst.SetUint(n.Uint64())
	case reflect.Float32, reflect.Float64:
		var f float64
		switch x := val.(type) {
		case float64:
			f = x
		case int64:
			f = float64(x)
		case *big.Int:
			f, _ = new(big.Float).SetInt(x).Float64()
		case *Decimal:
			var err error
			if f, err = decimalFloat(x.String()); err != nil {
				return fail()
			}
		default:
			return fail()
		}
		if t.Kind() == reflect.Float32 && !math.IsInf(f, 0) && !math.IsNaN(f) && math.Abs(f) > math.MaxFloat32 {
			return fail()
		}
		dst.SetFloat(f)
	case reflect.Slice:
		l, ok := val.([]any)
		if !ok {
			return fail()
		}
		s := reflect.MakeSlice(t, len(l), len(l))
		for i, e := range l {
			if err := assign(s.Index(i), e, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.Array:
		l, ok := val.([]any)
		if !ok || len(l) != t.Len() {
			return fail()
		}
		for i, e := range l {
			if err := assign(dst.Index(i), e, path+"["+strconv.Itoa(i)+"]"); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := val.(map[string]any)
		if !ok || t.Key().Kind() != reflect.String {
			return fail()
		}
		out := reflect.MakeMapWithSize(t, len(m))
		for k, e := range m {
			ev := reflect.New(t.Elem()).Elem()
			if err := assign(ev, e, joinPath(path, k)); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(t.Key()), ev)
		}
		dst.Set(out)
	case reflect.Struct:
		m, ok := val.(map[string]any)
		if !ok {
			return fail()
		}
		for _, f := range structFields(t) {
			e, found := m[f.name]
			if !found {
				for k, v := range m {
					if strings.EqualFold(k, f.name) {
						e, found = v, true
						break
					}
				}
			}
			if !found {
				continue
			}
			if err := assign(dst.FieldByIndex(f.index), e, joinPath(path, f.name)); err != nil {
				return err
			}
		}
	default:
		return fail()
	}
	return nil
}

// assignCommon stores the most common cases (a string, bool, int64 or
// float64 into a field of that kind) without the general path's
// allocations; done reports whether it handled val.
func assignCommon(dst reflect.Value, val any, path string) (done bool, err error) {
	k := dst.Kind()
	switch x := val.(type) {
	case string:
		if k == reflect.String {
			dst.SetString(x)
			return true, nil
		}
	case bool:
		if k == reflect.Bool {
			dst.SetBool(x)
			return true, nil
		}
	case int64:
		switch k {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if dst.Type() == durationType {
				return false, nil
			}
			if dst.OverflowInt(x) {
				return true, mismatch(dst, val, path)
			}
			dst.SetInt(x)
			return true, nil
		case reflect.Float64:
			dst.SetFloat(float64(x))
			return true, nil
		}
	case float64:
		switch k {
		case reflect.Float64:
			dst.SetFloat(x)
			return true, nil
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if dst.Type() == durationType {
				return false, nil
			}
			// Exact integers only; |x| < 2^63 so that the conversion is defined.
			if x != math.Trunc(x) || math.Abs(x) >= 1<<63 || dst.OverflowInt(int64(x)) {
				return true, mismatch(dst, val, path)
			}
			dst.SetInt(int64(x))
			return true, nil
		}
	}
	return false, nil
}

func assignSpecial(dst reflect.Value, val any, fail func() error) error {
	switch dst.Type() {
	case timeType:
		t, ok := val.(time.Time)
		if !ok {
			return fail()
		}
		if dst.CanAddr() {
			*dst.Addr().Interface().(*time.Time) = t // no boxing, unlike Set
		} else {
			dst.Set(reflect.ValueOf(t))
		}
	case bytesType:
		b, ok := val.([]byte)
		if !ok {
			return fail()
		}
		dst.SetBytes(b)
	case bigIntType:
		n, ok := exactInt(val)
		if !ok {
			return fail()
		}
		dst.Set(reflect.ValueOf(n))
	case decimalType:
		var d *Decimal
		switch x := val.(type) {
		case *Decimal:
			d = x
		case int64:
			d = NewDecimalInt(x)
		case *big.Int:
			d = newDecimal(x, 0)
		case float64:
			if math.IsInf(x, 0) || math.IsNaN(x) {
				return fail()
			}
			var err error
			if d, err = ParseDecimal(strconv.FormatFloat(x, 'g', -1, 64)); err != nil {
				return fail()
			}
		default:
			return fail()
		}
		dst.Set(reflect.ValueOf(d))
	}
	return nil
}

// exactInt returns val as an integer when it is one exactly.
func exactInt(val any) (*big.Int, bool) {
	switch x := val.(type) {
	case int64:
		return big.NewInt(x), true
	case *big.Int:
		return x, true
	case float64:
		if x != math.Trunc(x) || math.IsInf(x, 0) {
			return nil, false
		}
		n, acc := new(big.Float).SetFloat64(x).Int(nil)
		return n, acc == big.Exact
	case *Decimal:
		n, exp := x.CoEx()
		if exp >= 0 {
			if exp > 4096 {
				return nil, false
			}
			return new(big.Int).Mul(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)), true
		}
		if -exp > 4096 {
			return nil, n.Sign() == 0
		}
		q, r := new(big.Int).QuoRem(n, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-exp)), nil), new(big.Int))
		return q, r.Sign() == 0
	}
	return nil, false
}

func short(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return s
}
