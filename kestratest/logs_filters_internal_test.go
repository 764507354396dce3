package kestratest

import (
	"bufio"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

// seedLogs stores, for one execution, the lines of two tasks, the second
// one run twice (attempts 0 and 1), plus a line of three days ago, and
// returns a client, the execution id and the tenant's store.
func seedLogs(t *testing.T) (*api.ClientWithResponses, string, *tenantStore) {
	t.Helper()
	s := NewServer(WithResponseValidation(func(err error) { t.Errorf("response validation: %v", err) }))
	t.Cleanup(s.Close)
	c, err := api.NewClientWithResponses(s.URL, api.WithHTTPClient(s.Client()))
	if err != nil {
		t.Fatal(err)
	}
	ts := s.tenant("main")
	id := "seededLogs"
	ts.addExecution(&execRecord{e: execution{ID: id, Namespace: "company.team", FlowID: "f", State: newState(stateSuccess, time.Now())}})
	at := func(d time.Duration) *jtime { j := jtime(time.Now().Add(d).Truncate(time.Millisecond)); return &j }
	n := func(i int) *int { return &i }
	for _, l := range []logEntry{
		{TaskID: "a", TaskRunID: "trA", AttemptNumber: n(0), Level: "DEBUG", Message: "a0 debug", Timestamp: at(-72 * time.Hour)},
		{TaskID: "a", TaskRunID: "trA", AttemptNumber: n(0), Level: "INFO", Message: "a0 info", Timestamp: at(-time.Minute)},
		{TaskID: "b", TaskRunID: "trB", AttemptNumber: n(0), Level: "ERROR", Message: "b0 error", Timestamp: at(-time.Minute)},
		{TaskID: "b", TaskRunID: "trB", AttemptNumber: n(1), Level: "WARN", Message: "b1 warn", Timestamp: at(-time.Second)},
		{Level: "INFO", Message: "execution line", Timestamp: at(-time.Second)},
	} {
		l.Namespace, l.FlowID, l.ExecutionID = "company.team", "f", id
		ts.addLog(l)
	}
	return c, id, ts
}

// The log filters of a 2.0 server (taskId, taskRunId, attemptNumber,
// timeRange, level as a minimum) select the same lines on the logs of an
// execution, their download and the logs search.
func TestLogFiltersSelectLines(t *testing.T) {
	c, id, _ := seedLogs(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	f := api.Filters{}
	cases := []struct {
		name    string
		filters api.Filters
		want    []string
	}{
		{"taskId", f.Where(api.FilterFieldTaskID, api.FilterOpEquals, "b"), []string{"b0 error", "b1 warn"}},
		{"taskRunId", f.Where(api.FilterFieldTaskRunID, api.FilterOpEquals, "trA"), []string{"a0 debug", "a0 info"}},
		{"attemptNumber", f.Where(api.FilterFieldAttemptNumber, api.FilterOpEquals, "1"), []string{"b1 warn"}},
		{"taskRunId and attemptNumber", f.Where(api.FilterFieldTaskRunID, api.FilterOpEquals, "trB").
			Where(api.FilterFieldAttemptNumber, api.FilterOpEquals, "0"), []string{"b0 error"}},
		{"timeRange", f.Where(api.FilterFieldTimeRange, api.FilterOpEquals, "PT1H"), []string{"a0 info", "b0 error", "b1 warn", "execution line"}},
		{"level minimum", f.Where(api.FilterFieldLevel, api.FilterOpGreaterThanOrEqualTo, "WARN"), []string{"b0 error", "b1 warn"}},
		{"level equals is a minimum", f.Where(api.FilterFieldLevel, api.FilterOpEquals, "INFO"), []string{"a0 info", "b0 error", "b1 warn", "execution line"}},
		{"taskId not equals", f.Where(api.FilterFieldTaskID, api.FilterOpNotEquals, "b"), []string{"a0 debug", "a0 info", "execution line"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			list, err := c.ListLogsFromExecutionWithResponse(ctx, "main", id, &api.ListLogsFromExecutionParams{Filters: tc.filters})
			if err != nil || list.StatusCode() != 200 {
				t.Fatalf("list: %v %s", err, list.Body)
			}
			var got []string
			for _, l := range *list.JSON200 {
				got = append(got, l.Message)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("list: got %q, want %q", got, tc.want)
			}

			dl, err := c.DownloadLogsFromExecutionWithResponse(ctx, "main", id, &api.DownloadLogsFromExecutionParams{Filters: tc.filters})
			if err != nil || dl.StatusCode() != 200 {
				t.Fatalf("download: %v %s", err, dl.Body)
			}
			got = nil
			for _, line := range strings.Split(string(dl.Body), "\n") {
				got = append(got, strings.SplitN(line, " ", 3)[2])
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("download: got %q, want %q", got, tc.want)
			}

			sf := tc.filters.Where(api.FilterFieldExecutionID, api.FilterOpEquals, id)
			search, err := c.SearchLogsWithResponse(ctx, "main", &api.SearchLogsParams{Filters: sf, Sort: []string{"timestamp:asc"}})
			if err != nil || search.StatusCode() != 200 {
				t.Fatalf("search: %v %s", err, search.Body)
			}
			got = nil
			for _, l := range search.JSON200.Results {
				got = append(got, l.Message)
			}
			if !slices.Equal(got, tc.want) || search.JSON200.Total != int64(len(tc.want)) {
				t.Errorf("search: got %q (total %d), want %q", got, search.JSON200.Total, tc.want)
			}
		})
	}
}

// Fields the server refuses on logs stay refused (400), on the logs of an
// execution as on the search; a bad value is a 400 too.
func TestLogFiltersRefused(t *testing.T) {
	c, id, _ := seedLogs(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	f := api.Filters{}
	for name, bad := range map[string]api.Filters{
		"state":          f.Where(api.FilterFieldState, api.FilterOpEquals, "SUCCESS"),
		"taskId regex":   f.Where(api.FilterFieldTaskID, api.FilterOpRegex, "b.*"),
		"unknown level":  f.Where(api.FilterFieldLevel, api.FilterOpEquals, "LOUD"),
		"bad time range": f.Where(api.FilterFieldTimeRange, api.FilterOpEquals, "an hour"),
		"attempt NaN":    f.Where(api.FilterFieldAttemptNumber, api.FilterOpEquals, "one"),
	} {
		list, err := c.ListLogsFromExecutionWithResponse(ctx, "main", id, &api.ListLogsFromExecutionParams{Filters: bad})
		if err != nil || list.StatusCode() != 400 {
			t.Errorf("%s: list answered %d %s", name, list.StatusCode(), list.Body)
		}
		search, err := c.SearchLogsWithResponse(ctx, "main", &api.SearchLogsParams{Filters: bad})
		if err != nil || search.StatusCode() != 400 {
			t.Errorf("%s: search answered %d %s", name, search.StatusCode(), search.Body)
		}
	}
}

// The follow stream applies the filters to the backfill and to the lines
// that come later.
func TestLogFiltersOnFollow(t *testing.T) {
	c, id, ts := seedLogs(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	zero := 0
	filters := api.Filters{}.Where(api.FilterFieldTaskRunID, api.FilterOpEquals, "trB").
		Where(api.FilterFieldAttemptNumber, api.FilterOpEquals, "1")
	resp, err := c.FollowLogsFromExecution(ctx, "main", id, &api.FollowLogsFromExecutionParams{Filters: filters})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("follow: %v %v", err, resp)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	next := func() string { // the message of the next progress event
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, "data:") || !strings.Contains(line, `"message"`) {
				continue // not data, or the empty start event
			}
			var l api.LogEntry
			if err := json.Unmarshal([]byte(strings.TrimSpace(strings.TrimPrefix(line, "data:"))), &l); err != nil {
				t.Fatalf("event %q: %v", line, err)
			}
			return l.Message
		}
		t.Fatalf("stream ended: %v", sc.Err())
		return ""
	}
	if got := next(); got != "b1 warn" {
		t.Fatalf("backfill: %q", got)
	}
	one := 1
	for _, l := range []logEntry{
		{TaskID: "b", TaskRunID: "trB", AttemptNumber: &zero, Level: "INFO", Message: "b0 later"},
		{TaskID: "a", TaskRunID: "trA", AttemptNumber: &one, Level: "INFO", Message: "a1 later"},
		{TaskID: "b", TaskRunID: "trB", AttemptNumber: &one, Level: "INFO", Message: "b1 later"},
	} {
		l.Namespace, l.FlowID, l.ExecutionID = "company.team", "f", id
		ts.addLog(l)
	}
	if got := next(); got != "b1 later" {
		t.Fatalf("after the backfill: %q", got)
	}
}
