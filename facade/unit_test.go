package facade

import (
	"context"
	"errors"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kestra-go/kestra-go/api"
)

func TestFormatValue(t *testing.T) {
	type point struct {
		X int `json:"x"`
	}
	type color string
	ts := time.Date(2026, 1, 2, 3, 4, 5, 600, time.UTC)
	str := "p"
	cases := []struct {
		in   any
		want string
	}{
		{"a b&c", "a b&c"},
		{[]byte("raw"), "raw"},
		{true, "true"},
		{false, "false"},
		{42, "42"},
		{int8(-3), "-3"},
		{uint64(math.MaxUint64), "18446744073709551615"},
		{3.5, "3.5"},
		{float32(0.1), "0.1"},
		{1e21, "1e+21"},
		{1e-7, "1e-07"},
		{math.NaN(), "NaN"},
		{math.Inf(-1), "-Infinity"},
		{ts, "2026-01-02T03:04:05.0000006Z"},
		{&ts, "2026-01-02T03:04:05.0000006Z"},
		{90 * time.Second, "PT1M30S"},
		{1500 * time.Millisecond, "PT1.5S"},
		{2*time.Hour + 5*time.Millisecond, "PT2H0.005S"},
		{time.Duration(0), "PT0S"},
		{[]any{"a", 1, true}, `["a",1,true]`},
		{[]string{"x", "y"}, `["x","y"]`},
		{map[string]any{"k": []int{1, 2}}, `{"k":[1,2]}`},
		{point{7}, `{"x":7}`},
		{color("red"), "red"},
		{&str, "p"},
	}
	for _, c := range cases {
		got, ok, err := formatValue(c.in)
		if err != nil || !ok || got != c.want {
			t.Errorf("formatValue(%#v) = %q, %v, %v; want %q", c.in, got, ok, err, c.want)
		}
	}
	for _, in := range []any{nil, (*time.Time)(nil), (*string)(nil)} {
		if _, ok, err := formatValue(in); ok || err != nil {
			t.Errorf("formatValue(%#v): ok=%v err=%v, want left out", in, ok, err)
		}
	}
	if _, _, err := formatValue(make(chan int)); err == nil {
		t.Error("formatValue(chan) did not fail")
	}
}

// The multipart body: one part per input named after it, files as file parts
// with their name and content type, streamed.
func TestMultipartBody(t *testing.T) {
	in, err := prepareInputs(map[string]any{
		"s":    "hello",
		"list": []string{"a", "b"},
		"nil":  nil,
		"f":    File{Name: `we"ird name.txt`, Reader: strings.NewReader("content"), ContentType: "text/plain"},
	})
	if err != nil {
		t.Fatal(err)
	}
	body, ct := in.body()
	defer body.Close()
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q: %v", ct, err)
	}
	mr := multipart.NewReader(body, params["boundary"])
	got := map[string]string{}
	var fileName, fileType string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		got[p.FormName()] = string(b)
		if p.FileName() != "" {
			fileName, fileType = p.FileName(), p.Header.Get("Content-Type")
		}
	}
	want := map[string]string{"s": "hello", "list": `["a","b"]`, "f": "content"}
	if len(got) != len(want) {
		t.Fatalf("parts %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("part %s = %q, want %q", k, got[k], v)
		}
	}
	if fileName != `we"ird name.txt` || fileType != "text/plain" {
		t.Errorf("file part name %q type %q", fileName, fileType)
	}
	// A strings.Reader seeks: the body can be written again.
	if err := in.rewind(context.Background()); err != nil {
		t.Fatalf("seekable file could not rewind: %v", err)
	}
	body2, _ := in.body()
	b, _ := io.ReadAll(body2)
	if !strings.Contains(string(b), "content") {
		t.Error("second body lacks the file content")
	}
}

func TestNonSeekableFileNotReplayable(t *testing.T) {
	in, err := prepareInputs(map[string]any{"f": File{Name: "x", Reader: io.MultiReader(strings.NewReader("abc"))}})
	if err != nil {
		t.Fatal(err)
	}
	if err := in.rewind(context.Background()); err != nil {
		t.Fatalf("an unread reader must be usable: %v", err)
	}
	body, _ := in.body()
	_, _ = io.ReadAll(body)
	if err := in.rewind(context.Background()); !errors.Is(err, ErrInputNotReplayable) {
		t.Fatalf("a consumed non-seekable reader: %v, want ErrInputNotReplayable", err)
	}
}

func TestLabelParams(t *testing.T) {
	in, _ := prepareInputs(map[string]any{"env": "dev", "empty": "", "n": 2, "f": File{Name: "a.csv", Reader: strings.NewReader("")}})
	got := labelParams([]label{{"env", "prod"}}, in.labels(), "cid")
	want := []string{"env:prod", "f:a.csv", "n:2", "system.correlationId:cid"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("labels %q, want %q", got, want)
	}
}

// The generated client must percent-encode label values and path parameters
// (the Python client's string formatting does not).
func TestRequestEscaping(t *testing.T) {
	params := &api.CreateExecutionParams{Labels: []string{"k:a b&c=d#e+f/g?h", "url:http://x"}}
	req, err := api.NewCreateExecutionRequestWithBody("http://h:1", "main", "ns/with?odd&chars", "id with space", params, "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	if got := q["labels"]; len(got) != 2 || got[0] != "k:a b&c=d#e+f/g?h" || got[1] != "url:http://x" {
		t.Errorf("labels decoded back as %q (raw query %q)", got, req.URL.RawQuery)
	}
	if req.URL.Path != "/api/v1/main/executions/ns/with?odd&chars/id with space" {
		t.Errorf("path %q", req.URL.Path)
	}
	if !strings.Contains(req.URL.EscapedPath(), "ns%2Fwith%3Fodd&chars") {
		t.Errorf("escaped path %q", req.URL.EscapedPath())
	}
}

func TestStripTenant(t *testing.T) {
	u, _ := url.Parse("http://h/prefix/api/v1/main/executions/a%2Fb/c")
	stripTenant(u, "main")
	if got := u.EscapedPath(); got != "/prefix/api/v1/executions/a%2Fb/c" {
		t.Errorf("escaped path %q", got)
	}
	if u.Path != "/prefix/api/v1/executions/a/b/c" {
		t.Errorf("path %q", u.Path)
	}
}

func TestAPIErrorFormats(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h := func(ct string) http.Header { return http.Header{"Content-Type": {ct}} }

	e := newAPIError("createExecution", h("application/json"), 404, []byte(`{"message":"Not Found: Requested Flow is not found.","_links":{"self":{"href":"/x"}}}`), now)
	if e.Message != "Not Found: Requested Flow is not found." || !errors.Is(e, ErrNotFound) {
		t.Errorf("1.x: %+v", e)
	}
	e = newAPIError("createExecution", h("application/json"), 422, []byte(`{"message":"Invalid entity","_embedded":{"errors":[{"message":"must not be null","path":"inputs.x"}]}}`), now)
	if len(e.Errors) != 1 || e.Errors[0] != "inputs.x: must not be null" || !errors.Is(e, ErrInvalid) {
		t.Errorf("1.x embedded: %+v", e)
	}
	e = newAPIError("getExecution", h("application/problem+json"), 409, []byte(`{"type":"https://kestra.io/docs/api-reference/problems/conflict","title":"Conflict","status":409,"detail":"Requested Flow is disabled.","instance":"/api/v1/main/executions/a/b","errors":[{"detail":"bad","pointer":"/x"}]}`), now)
	if e.Type != "https://kestra.io/docs/api-reference/problems/conflict" || e.Title != "Conflict" || e.Detail != "Requested Flow is disabled." ||
		e.Instance != "/api/v1/main/executions/a/b" || e.Message != e.Detail || len(e.Errors) != 1 || !errors.Is(e, ErrConflict) {
		t.Errorf("2.0: %+v", e)
	}
	e = newAPIError("getExecution", h("text/html"), 502, []byte("<html>bad gateway</html>"), now)
	if e.Message != "Bad Gateway" {
		t.Errorf("html body: %q", e.Message)
	}
	e = newAPIError("getExecution", http.Header{"Retry-After": {"7"}}, 401, nil, now)
	if !errors.Is(e, ErrUnauthorized) || e.RetryAfter != 7*time.Second || e.Message != "Unauthorized" {
		t.Errorf("401: %+v", e)
	}
	if e.Error() != "HTTP 401: Unauthorized" {
		t.Errorf("Error() = %q", e.Error())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := map[string]time.Duration{
		"":                              0,
		"3":                             3 * time.Second,
		"-1":                            0,
		"soon":                          0,
		"Thu, 01 Jan 2026 00:00:09 GMT": 9 * time.Second,
		"Wed, 31 Dec 2025 23:00:00 GMT": 0,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

// FormatLog writes the server's download line: the timestamp as Java's
// Instant.toString (internal/javatime), the level, the message.
func TestFormatLog(t *testing.T) {
	cases := map[time.Time]string{
		time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC):                 "2026-05-01T10:00:00Z INFO Hello",
		time.Date(2026, 5, 1, 10, 0, 0, 123000000, time.UTC):         "2026-05-01T10:00:00.123Z INFO Hello",
		time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("", 7200)): "2026-05-01T10:00:00Z INFO Hello",
	}
	for in, want := range cases {
		if got := FormatLog(api.LogEntry{Timestamp: in, Level: api.LevelInfo, Message: "Hello"}); got != want {
			t.Errorf("FormatLog(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	for _, s := range []api.StateType{"FAILED", "WARNING", "SUCCESS", "KILLED", "CANCELLED", "RETRIED", "SKIPPED", "RESUBMITTED"} {
		if !IsTerminal(s) {
			t.Errorf("%s not terminal", s)
		}
	}
	for _, s := range []api.StateType{"CREATED", "RUNNING", "PAUSED", "QUEUED", "BREAKPOINT", "KILLING", "RETRYING", "SOMETHING_NEW"} {
		if IsTerminal(s) {
			t.Errorf("%s terminal", s)
		}
	}
}

func TestNewReadsEnvironment(t *testing.T) {
	t.Setenv(EnvHostname, "https://kestra.example/base/")
	t.Setenv(EnvUser, "me@example.com")
	t.Setenv(EnvPassword, "Secret123")
	t.Setenv(EnvAPIToken, "")
	t.Setenv(EnvTenant, "acme")
	f, err := New()
	if err != nil {
		t.Fatal(err)
	}
	if !f.WaitForCompletion || f.PollInterval != time.Second || f.LabelsFromInputs || f.Tenant != "" {
		t.Errorf("defaults: %+v", f)
	}
	if f.Hostname != "https://kestra.example/base/" || f.User != "me@example.com" || f.Password != "Secret123" {
		t.Errorf("environment: %+v", f)
	}
	c, err := f.snapshot()
	if err != nil {
		t.Fatal(err)
	}
	if c.tenant != "acme" || c.base != "https://kestra.example/base" {
		t.Errorf("snapshot tenant %q base %q", c.tenant, c.base)
	}
	f.Tenant = "explicit"
	if c, _ := f.snapshot(); c.tenant != "explicit" {
		t.Errorf("explicit tenant ignored: %q", c.tenant)
	}
	t.Setenv(EnvTenant, "")
	t.Setenv(EnvHostname, "")
	f, _ = New()
	if c, _ := f.snapshot(); c.tenant != "main" || f.Hostname != DefaultHostname {
		t.Errorf("fallbacks: tenant %q host %q", c.tenant, f.Hostname)
	}
}

func TestAuthPrecedence(t *testing.T) {
	for _, tc := range []struct {
		token, user, pass string
		want              string
	}{
		{"tok", "u", "p", "Bearer tok"},
		{"", "u", "p", "Basic dTpw"},
		{"", "", "", ""},
	} {
		f, _ := New(WithHostname("http://h"), WithAPIToken(tc.token), WithBasicAuth(tc.user, tc.pass))
		c, _ := f.snapshot()
		req, _ := http.NewRequest("GET", "http://h/api/v1/main/x", nil)
		_ = c.edit(req.Context(), req)
		if got := req.Header.Get("Authorization"); got != tc.want {
			t.Errorf("token=%q user=%q: Authorization %q, want %q", tc.token, tc.user, got, tc.want)
		}
	}
}

func TestHostnameCredentialsNeverInURL(t *testing.T) {
	f, err := New(WithHostname("http://me:Secret123@h:8080"), WithBasicAuth("", ""))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := f.snapshot()
	if strings.Contains(c.base, "Secret123") || c.user != "me" || c.password != "Secret123" {
		t.Errorf("base %q user %q", c.base, c.user)
	}
}

func TestResultErr(t *testing.T) {
	errLevel, msg, task := api.LevelError, "boom", "t2"
	r := &Result{
		ExecutionID: "e1", Namespace: "ns", FlowID: "f", Status: api.StateTypeFailed,
		Execution: &api.Execution{TaskRunList: []api.TaskRun{
			{TaskID: "t1", State: api.State{Current: api.StateTypeSuccess}},
			{TaskID: "t2", State: api.State{Current: api.StateTypeFailed}},
		}},
		Logs: []api.LogEntry{{Level: errLevel, Message: msg, TaskID: task}},
	}
	err := r.Err()
	var ee *ExecutionError
	if !errors.As(err, &ee) || ee.Status != "FAILED" || len(ee.FailedTasks) != 1 || ee.FailedTasks[0] != "t2" ||
		len(ee.ErrorLines) != 1 || ee.ErrorLines[0] != "[t2] boom" {
		t.Fatalf("Err() = %#v", err)
	}
	if want := "execution e1 of ns/f ended FAILED: task t2 failed: [t2] boom"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	for _, s := range []api.StateType{api.StateTypeSuccess, api.StateTypeWarning, StatusStarted} {
		if err := (&Result{Status: s}).Err(); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []api.StateType{api.StateTypeKilled, api.StateTypeRetried, api.StateTypeSkipped} {
		if err := (&Result{Status: s}).Err(); err == nil {
			t.Errorf("%s: no error", s)
		}
	}
}

func FuzzNewAPIError(f *testing.F) {
	f.Add("application/json", 404, []byte(`{"message":"Not Found: x"}`))
	f.Add("application/problem+json", 409, []byte(`{"type":"t","title":"Conflict","detail":"d","errors":[{"detail":"x","pointer":"/a"}]}`))
	f.Add("text/plain", 500, []byte("oops"))
	f.Add("", 502, []byte{0xff, 0xfe})
	f.Fuzz(func(t *testing.T, ct string, status int, body []byte) {
		e := newAPIError("op", http.Header{"Content-Type": {ct}, "Retry-After": {string(body)}}, status, body, time.Now())
		if e.StatusCode != status || e.Message == "" && http.StatusText(status) != "" {
			t.Fatalf("%+v", e)
		}
		_ = e.Error()
		if len(e.Message) > maxMessage+len("…") && !strings.HasPrefix(strings.TrimSpace(string(body)), "{") {
			t.Fatalf("message not bounded: %d bytes", len(e.Message))
		}
	})
}

// The file content goes out while the file is still being produced: the
// body is streamed, not assembled in memory first.
func TestFileInputIsStreamed(t *testing.T) {
	pr, pw := io.Pipe()
	in, err := prepareInputs(map[string]any{"f": File{Name: "live.txt", Reader: pr}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := in.body()
	defer body.Close()
	go func() { _, _ = pw.Write([]byte("first-chunk")) }() // the producer never closes
	seen := make(chan bool, 1)
	go func() {
		var acc []byte
		buf := make([]byte, 256)
		for {
			n, err := body.Read(buf)
			acc = append(acc, buf[:n]...)
			if strings.Contains(string(acc), "first-chunk") {
				seen <- true
				return
			}
			if err != nil {
				seen <- false
				return
			}
		}
	}()
	select {
	case ok := <-seen:
		if !ok {
			t.Fatal("body ended without the chunk")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first chunk was not sent before the file ended: not streamed")
	}
	_ = pw.CloseWithError(errors.New("done"))
}

// blockingSeeker is a seekable reader whose first Read blocks until release
// is closed.
type blockingSeeker struct {
	*strings.Reader
	inRead, release chan struct{}
	once            bool
}

func (b *blockingSeeker) Read(p []byte) (int, error) {
	if !b.once {
		b.once = true
		close(b.inRead)
		<-b.release
	}
	return b.Reader.Read(p)
}

// The transport can abandon a body while its writer is inside a file Read:
// rewinding (a Seek) must wait for that Read to end, or the next attempt
// would race with it on the same reader.
func TestRewindWaitsForTheAbandonedWriter(t *testing.T) {
	r := &blockingSeeker{Reader: strings.NewReader("content"), inRead: make(chan struct{}), release: make(chan struct{})}
	in, err := prepareInputs(map[string]any{"f": File{Name: "f.txt", Reader: r}})
	if err != nil {
		t.Fatal(err)
	}
	body, _ := in.body()
	go func() { _, _ = io.Copy(io.Discard, body) }()
	<-r.inRead
	body.Close() // the transport gives up on the body
	rewound := make(chan error, 1)
	go func() { rewound <- in.rewind(context.Background()) }()
	select {
	case err := <-rewound:
		t.Fatalf("rewind returned (%v) while the abandoned writer was still reading", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(r.release)
	select {
	case err := <-rewound:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("rewind did not return after the read ended")
	}
	// And a cancelled context ends the wait.
	r2 := &blockingSeeker{Reader: strings.NewReader("x"), inRead: make(chan struct{}), release: make(chan struct{})}
	defer close(r2.release)
	in, _ = prepareInputs(map[string]any{"f": File{Name: "f.txt", Reader: r2}})
	body, _ = in.body()
	go func() { _, _ = io.Copy(io.Discard, body) }()
	<-r2.inRead
	body.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := in.rewind(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("rewind with a cancelled context: %v", err)
	}
}

func TestGenerationOfVersion(t *testing.T) {
	for v, want := range map[string]int{
		"1.3.5": generation1, "1.0.0": generation1, "0.22.1": generation1, "0.24.0-SNAPSHOT": generation1,
		"v1.3.0": generation1, "1.3.0-kestratest": generation1,
		"2.0.0": generation2, "2.0.0-rc13": generation2, "2.1.0-SNAPSHOT": generation2, "10.0.1": generation2,
		"": generationUnknown, "0.0.0-kestratest": generationUnknown, "develop": generationUnknown, "1": generationUnknown,
		"-1.0.0": generationUnknown, "1.x.0": generationUnknown,
	} {
		if got := generationOfVersion(v); got != want {
			t.Errorf("generationOfVersion(%q) = %d, want %d", v, got, want)
		}
	}
}
