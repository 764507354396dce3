package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kestra-go/kestra-go/api"
)

// searchAnswer100 is a searchExecutions answer of 100 light executions as a
// 2.0 server sends them: labels (with the system ones), inputs of several
// types, outputs, a trigger on every fourth one, a parent on every tenth,
// and ended state histories.
var searchAnswer100 = func() []byte {
	var b strings.Builder
	b.WriteString(`{"results":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		id := fmt.Sprintf("4Xy8pXZcvyR1mfSD3B%04d", i)
		fmt.Fprintf(&b, `{"tenantId":"main","id":%q,"namespace":"company.team","flowId":"orders-%d","flowRevision":%d,`, id, i%7, 1+i%5)
		fmt.Fprintf(&b, `"inputs":{"customer":"cust-%d","count":%d,"ratio":0.25,"dryRun":false,"tags":["a","b"],"file":"kestra:///company/team/orders/executions/%s/inputs/file/rows.csv"},`, i, i*3, id)
		b.WriteString(`"outputs":{"rows":1200,"status":"done"},`)
		fmt.Fprintf(&b, `"labels":[{"key":"team","value":"data"},{"key":"env","value":"prod"},{"key":"system.correlationId","value":%q},{"key":"system.from","value":"api"}],`, id)
		b.WriteString(`"state":{"current":"SUCCESS","histories":[{"state":"CREATED","date":"2026-05-01T10:00:00.101Z"},{"state":"RUNNING","date":"2026-05-01T10:00:00.250Z"},{"state":"SUCCESS","date":"2026-05-01T10:00:04.251Z"}],"duration":"PT4.15S","startDate":"2026-05-01T10:00:00.101Z","endDate":"2026-05-01T10:00:04.251Z"},`)
		b.WriteString(`"originalId":` + fmt.Sprintf("%q", id) + `,"kind":"NORMAL","scheduleDate":"2026-05-01T10:00:00Z"`)
		if i%4 == 0 {
			b.WriteString(`,"trigger":{"id":"schedule","type":"io.kestra.plugin.core.trigger.Schedule","variables":{"date":"2026-05-01T10:00:00Z","next":"2026-05-01T11:00:00Z"}}`)
		}
		if i%10 == 0 {
			b.WriteString(`,"parentId":"1Abc8pXZcvyR1mfSD3Bq0Yb"`)
		}
		b.WriteByte('}')
	}
	b.WriteString(`],"total":1342}`)
	return []byte(b.String())
}()

// BenchmarkDecodeSearchExecutions100 measures what a caller of
// SearchExecutionsWithResponse pays to decode one page of 100 executions
// (the generated Parse function on a buffered body).
func BenchmarkDecodeSearchExecutions100(b *testing.B) {
	b.SetBytes(int64(len(searchAnswer100)))
	b.ReportAllocs()
	for b.Loop() {
		rsp := &http.Response{
			StatusCode: http.StatusOK,
			Header:     http.Header{"Content-Type": []string{"application/json"}},
			Body:       io.NopCloser(bytes.NewReader(searchAnswer100)),
		}
		r, err := api.ParseSearchExecutionsResponse(rsp)
		if err != nil {
			b.Fatal(err)
		}
		if r.JSON200 == nil || len(r.JSON200.Results) != 100 {
			b.Fatal("not decoded")
		}
	}
}

// BenchmarkSearchRequestWithFilters measures building a searchExecutions
// request with four filters (the deepObject encoding goes through JSON and
// back in the oapi-codegen runtime), against the same request without.
func BenchmarkSearchRequestWithFilters(b *testing.B) {
	filters := api.Filters{}.
		Where(api.FilterFieldNamespace, api.FilterOpPrefix, "company").
		WhereIn(api.FilterFieldState, "FAILED", "WARNING").
		WhereLabel(api.FilterOpEquals, "team", "data").
		WhereLabel(api.FilterOpEquals, "env", "prod")
	for _, bc := range []struct {
		name   string
		params *api.SearchExecutionsParams
	}{
		{"filters", &api.SearchExecutionsParams{Filters: filters, Page: 1, Size: 50}},
		{"paging only", &api.SearchExecutionsParams{Page: 1, Size: 50}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := api.NewSearchExecutionsRequest("http://localhost:8080", "main", bc.params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
