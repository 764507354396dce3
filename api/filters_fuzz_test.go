package api_test

import (
	"errors"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
)

var (
	fuzzFields = []api.FilterField{api.FilterFieldNamespace, api.FilterFieldFlowID, api.FilterFieldState,
		api.FilterFieldLabels, api.FilterFieldQuery, api.FilterFieldStartDate, "a]b", "", "labels[x",
		api.FilterFieldTimeRange, api.FilterFieldTaskRunID, "someNewField", "a=b", "a\nb"}
	fuzzOps = []api.FilterOp{api.FilterOpEquals, api.FilterOpIn, api.FilterOpNotIn, api.FilterOpContains,
		api.FilterOpPrefix, "EQ]UALS", "", "SOME_NEW_OP", "A&B"}
	// The server's key pattern (QueryFilterFormatBinder, matched whole),
	// with Java's "." (no line terminators).
	serverKey = regexp.MustCompile(strings.ReplaceAll(`^filters\[(.*?)]\[(.*?)](?:\[(.+)])?$`, ".", `[^\n\r\x{85}\x{2028}\x{2029}]`))
)

// serverFilters reads a query string the way the server's binder does:
// the query is percent-decoded once; a labels key with a third bracket
// goes into a map per operation; an IN or NOT_IN value is decoded a second
// time, stripped of [ and ] and split on commas, trailing empty items
// dropped (Java's String.split); any other value is taken as is.
func serverFilters(t *testing.T, rawQuery string) map[string]map[string]any {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		t.Fatalf("query %q does not parse: %v", rawQuery, err)
	}
	out := map[string]map[string]any{}
	for k, vs := range q {
		if !strings.HasPrefix(k, "filters[") {
			continue
		}
		m := serverKey.FindStringSubmatch(k)
		if m == nil {
			t.Fatalf("key %q is not read by the server", k)
		}
		field, op, key := m[1], m[2], m[3]
		if out[field] == nil {
			out[field] = map[string]any{}
		}
		switch {
		case field == "labels" && key != "":
			labels, _ := out[field][op].(map[string]string)
			if labels == nil {
				labels = map[string]string{}
				out[field][op] = labels
			}
			labels[key] = vs[0]
		case key != "":
			t.Fatalf("key %q: a third bracket outside labels", k)
		case op == "IN" || op == "NOT_IN":
			v, err := url.QueryUnescape(vs[0])
			if err != nil {
				t.Fatalf("%s=%q: the server's second decoding fails: %v", k, vs[0], err)
			}
			v = strings.NewReplacer("[", "", "]", "").Replace(v)
			items := strings.Split(v, ",")
			for len(items) > 0 && items[len(items)-1] == "" {
				items = items[:len(items)-1]
			}
			out[field][op] = items
		default:
			out[field][op] = vs[0]
		}
	}
	return out
}

// FuzzFiltersWire checks that whatever a caller puts in Filters is either
// refused before sending (ErrFilterValue) or read by the server exactly as
// it was meant.
func FuzzFiltersWire(f *testing.F) {
	f.Add(uint8(0), uint8(0), uint8(0), "company.team", "", "")
	f.Add(uint8(1), uint8(2), uint8(1), "FAILED", "WARNING", "")
	f.Add(uint8(2), uint8(3), uint8(2), "data", "", "team")
	f.Add(uint8(1), uint8(0), uint8(1), "a+b", "c%20d", "")
	f.Add(uint8(2), uint8(1), uint8(2), "v]", "", "k]ey[")
	f.Add(uint8(0), uint8(6), uint8(0), "x&y=z #", "", "")
	f.Add(uint8(6), uint8(5), uint8(0), "a", "", "")
	f.Add(uint8(1), uint8(1), uint8(1), "", ",", "")
	f.Add(uint8(0), uint8(0), uint8(0), "\xff\xfe", "", "")
	f.Add(uint8(0), uint8(11), uint8(7), "x", "", "")        // someNewField, SOME_NEW_OP: sent
	f.Add(uint8(1), uint8(10), uint8(0), "6k1c", "7h2d", "") // taskRunId IN
	f.Add(uint8(0), uint8(12), uint8(8), "x", "", "")        // unsafe names: refused
	f.Fuzz(func(t *testing.T, how, fieldIdx, opIdx uint8, a, b, key string) {
		field := fuzzFields[int(fieldIdx)%len(fuzzFields)]
		op := fuzzOps[int(opIdx)%len(fuzzOps)]
		var filters api.Filters
		want := map[string]map[string]any{}
		switch how % 3 {
		case 0:
			filters = filters.Where(field, op, a)
			if op == api.FilterOpIn || op == api.FilterOpNotIn {
				want[string(field)] = map[string]any{string(op): strings.Split(a, ",")}
			} else {
				want[string(field)] = map[string]any{string(op): a}
			}
		case 1:
			filters = filters.WhereIn(field, a, b)
			want[string(field)] = map[string]any{"IN": []string{a, b}}
		case 2:
			filters = filters.WhereLabel(op, key, a)
			want["labels"] = map[string]any{string(op): map[string]string{key: a}}
		}
		req, err := api.NewSearchExecutionsRequest("http://kestra.test", "main", &api.SearchExecutionsParams{Filters: filters})
		if err != nil {
			if !errors.Is(err, api.ErrFilterValue) {
				t.Fatalf("error %v is not ErrFilterValue", err)
			}
			return
		}
		if got := serverFilters(t, req.URL.RawQuery); !reflect.DeepEqual(got, want) {
			t.Fatalf("sent %q\nthe server reads %#v\nmeant %#v", req.URL.RawQuery, got, want)
		}
		// ParseFilters, the package's own reading of the server's rules,
		// reads the same.
		parsed, err := api.ParseFilters(req.URL.Query())
		// A name outside the enums goes out (a newer server may read it),
		// but ParseFilters follows the enums this package knows.
		unknownName := how%3 != 2 && !field.Valid() || how%3 != 1 && !op.Valid()
		if unknownName && errors.Is(err, api.ErrFilterNotSupported) {
			return
		}
		if err != nil {
			t.Fatalf("ParseFilters(%q): %v", req.URL.RawQuery, err)
		}
		if got := plainFilters(parsed); !reflect.DeepEqual(got, want) {
			t.Fatalf("sent %q\nParseFilters reads %#v\nmeant %#v", req.URL.RawQuery, got, want)
		}
	})
}

// plainFilters turns the labels maps of ParseFilters (map[string]any) into
// map[string]string, the shape serverFilters uses.
func plainFilters(f api.Filters) map[string]map[string]any {
	out := map[string]map[string]any{}
	for field, conds := range f {
		out[field] = map[string]any{}
		for op, v := range conds {
			if m, ok := v.(map[string]any); ok {
				labels := map[string]string{}
				for k, lv := range m {
					labels[k], _ = lv.(string)
				}
				v = labels
			}
			out[field][op] = v
		}
	}
	return out
}

// FuzzParseFilters feeds ParseFilters any query a client could send (text
// and binary): it never panics, refuses only with ErrFilterNotSupported,
// reads the same filters every time (repeated and conflicting keys
// included), and what it returns can be validated and encoded again.
func FuzzParseFilters(f *testing.F) {
	for _, s := range []string{
		"filters[namespace][EQUALS]=company&filters[state][IN]=FAILED,SUCCESS",
		"filters[labels][EQUALS][team]=data&filters[labels][EQUALS]=x",
		"filters[labels][EQUALS]=x&filters[labels][EQUALS][a]=1&filters[labels][EQUALS][b]=2",
		"filters[state][IN]=%25zz&filters[state][NOT_IN]=[a],,",
		"filters[flowId][EQUALS]=a&filters[flowId][EQUALS]=b",
		"filters[nope][EQUALS]=1", "filters[q][NOPE]=1", "filters[[]][[]]=", "filters[q][EQUALS][\n]=1",
		"filters%5Bq%5D%5BEQUALS%5D=%ff%fe", "\x00\xff\xfefilters[", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return // the HTTP server refuses such a query before any handler
		}
		got, err := api.ParseFilters(q)
		if err != nil {
			if !errors.Is(err, api.ErrFilterNotSupported) {
				t.Fatalf("ParseFilters(%q): %v does not wrap ErrFilterNotSupported", raw, err)
			}
			return
		}
		for i := 0; i < 3; i++ {
			again, err := api.ParseFilters(q)
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("ParseFilters(%q) is not deterministic: %#v then %#v, %v", raw, got, again, err)
			}
		}
		_ = got.Validate(api.FilterResourceExecution)
		_, _ = got.QueryFilters()
		_, _ = got.MarshalJSON()
	})
}
