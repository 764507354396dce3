package facade

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/kestra-go/kestra-go/api"
	"github.com/kestra-go/kestra-go/internal/javatime"
)

// The common tasks, one call each. Every call takes a snapshot of the Flow
// like Execute, uses the Flow's retries and returns redacted, typed errors.

// Deployed is what Deploy did.
type Deployed struct {
	Namespace, ID string
	// Revision is the flow's revision after the deploy.
	Revision int
	// Created is true when the flow did not exist before.
	Created bool
}

// Deploy creates the flow of a YAML source, or updates it when it exists
// (the flow's namespace and id are read from the source). The server checks
// the source: an invalid flow gives an error matching ErrInvalid.
func (f *Flow) Deploy(ctx context.Context, yamlSource string) (Deployed, error) {
	var head struct {
		ID        string `yaml:"id"`
		Namespace string `yaml:"namespace"`
	}
	if err := yaml.Unmarshal([]byte(yamlSource), &head); err != nil {
		return Deployed{}, fmt.Errorf("deploy: the source is not YAML: %w", err)
	}
	if err := checkPathIDs("deploy", head.Namespace, head.ID); err != nil {
		return Deployed{}, fmt.Errorf("%w (the source's namespace and id)", err)
	}
	c, err := f.snapshot()
	if err != nil {
		return Deployed{}, err
	}
	d, err := c.deploy(ctx, head.Namespace, head.ID, yamlSource)
	return d, c.seal(err)
}

func (c *call) deploy(ctx context.Context, ns, id, src string) (Deployed, error) {
	op := "deploy flow " + ns + "/" + id
	got, err := c.api.GetFlowWithResponse(ctx, c.tenant, ns, id, &api.GetFlowParams{})
	if err != nil {
		return Deployed{}, fmt.Errorf("%s: %w", op, err)
	}
	exists := got.StatusCode() == http.StatusOK
	if !exists && got.StatusCode() != http.StatusNotFound {
		return Deployed{}, fmt.Errorf("%s: %w", op, c.apiError("getFlow", got.HTTPResponse, got.Body))
	}
	if !exists {
		resp, err := c.api.CreateFlowWithBodyWithResponse(ctx, c.tenant, &api.CreateFlowParams{}, "application/x-yaml", bytes.NewReader([]byte(src)))
		if err != nil {
			return Deployed{}, fmt.Errorf("%s: %w", op, err)
		}
		if resp.JSON200 != nil {
			return deployed(resp.JSON200, true), nil
		}
		if resp.StatusCode() != http.StatusConflict {
			return Deployed{}, fmt.Errorf("%s: %w", op, c.apiError("createFlow", resp.HTTPResponse, resp.Body))
		}
		// Created meanwhile: update it.
	}
	resp, err := c.api.UpdateFlowWithBodyWithResponse(ctx, c.tenant, ns, id, &api.UpdateFlowParams{}, "application/x-yaml", bytes.NewReader([]byte(src)))
	if err != nil {
		return Deployed{}, fmt.Errorf("%s: %w", op, err)
	}
	if resp.JSON200 == nil {
		return Deployed{}, fmt.Errorf("%s: %w", op, c.apiError("updateFlow", resp.HTTPResponse, resp.Body))
	}
	return deployed(resp.JSON200, false), nil
}

func deployed(fw *api.FlowWithSource, created bool) Deployed {
	return Deployed{Namespace: fw.Namespace, ID: fw.ID, Revision: fw.Revision, Created: created}
}

// searchPageSize is how many executions one search page asks for at most.
const searchPageSize = 100

// SearchOption changes the order or the length of SearchExecutions.
type SearchOption func(*searchParams)

type searchParams struct {
	newestFirst bool
	limit       int
}

// NewestFirst yields the most recently started executions first (the
// server's sort state.startDate:desc) instead of the oldest.
func NewestFirst() SearchOption {
	return func(p *searchParams) { p.newestFirst = true }
}

// Limit stops the iteration after n executions, and asks the server for no
// more than needed: with NewestFirst and a small n, one request of n
// executions. n <= 0 means no limit.
func Limit(n int) SearchOption {
	return func(p *searchParams) { p.limit = n }
}

// SearchExecutions iterates over every execution matching filters (see
// api.Filters: api.Filters{}.Where(api.FilterFieldNamespace,
// api.FilterOpEquals, "company.team")), fetching pages of up to 100 as the
// loop goes; breaking out of the loop stops the requests.
//
// By default the oldest come first, which keeps the pages stable while new
// executions are created. With NewestFirst, executions created during the
// iteration shift the later pages: an execution the previous page already
// yielded is skipped, so none is yielded twice (unless more than a page of
// executions started between two page reads). A page holding only
// executions of the previous one (a server that ignores the page number)
// ends the iteration with an error. The results are the
// search's light executions (no task runs; read one with CheckStatus). An
// error ends the iteration: it is yielded once, with a zero execution.
func (f *Flow) SearchExecutions(ctx context.Context, filters api.Filters, opts ...SearchOption) iter.Seq2[api.LightExecution, error] {
	var p searchParams
	for _, o := range opts {
		o(&p)
	}
	sort, size := "state.startDate:asc", searchPageSize
	if p.newestFirst {
		sort = "state.startDate:desc"
	}
	if p.limit > 0 && p.limit < size {
		size = p.limit
	}
	return func(yield func(api.LightExecution, error) bool) {
		c, err := f.snapshot()
		if err != nil {
			yield(api.LightExecution{}, err)
			return
		}
		yielded := 0
		var previous map[string]bool // ids of the last page
		for page := 1; ; page++ {
			res, err := c.searchPage(ctx, filters, page, size, sort)
			if err != nil {
				yield(api.LightExecution{}, c.seal(err))
				return
			}
			current := make(map[string]bool, len(res.Results))
			fresh := 0
			for _, e := range res.Results {
				current[e.ID] = true
				if previous[e.ID] {
					continue
				}
				fresh++
				if !yield(e, nil) {
					return
				}
				if yielded++; p.limit > 0 && yielded >= p.limit {
					return
				}
			}
			if previous != nil && fresh == 0 && len(res.Results) > 0 {
				// Only executions already yielded: a server that ignores
				// the page would be read forever.
				yield(api.LightExecution{}, c.seal(fmt.Errorf("searchExecutions page %d: the server answered the previous page again", page)))
				return
			}
			previous = current
			if len(res.Results) < size || int64(page*size) >= res.Total {
				return
			}
		}
	}
}

func (c *call) searchPage(ctx context.Context, filters api.Filters, page, size int, sort string) (*api.PagedResultsExecution, error) {
	params := &api.SearchExecutionsParams{Filters: filters, Page: page, Size: size, Sort: []string{sort}}
	resp, err := c.api.SearchExecutionsWithResponse(ctx, c.tenant, params)
	if err != nil {
		return nil, fmt.Errorf("searchExecutions page %d: %w", page, err)
	}
	if resp.JSON200 == nil {
		return nil, fmt.Errorf("searchExecutions page %d: %w", page, c.apiError("searchExecutions", resp.HTTPResponse, resp.Body))
	}
	return resp.JSON200, nil
}

// LatestExecution returns the most recently started execution of a flow,
// read whole; an error matching ErrNotFound when the flow has none.
func (f *Flow) LatestExecution(ctx context.Context, namespace, flowID string) (*api.Execution, error) {
	if err := checkPathIDs("LatestExecution", namespace, flowID); err != nil {
		return nil, err
	}
	c, err := f.snapshot()
	if err != nil {
		return nil, err
	}
	filters := api.Filters{}.Where(api.FilterFieldNamespace, api.FilterOpEquals, namespace).
		Where(api.FilterFieldFlowID, api.FilterOpEquals, flowID)
	res, err := c.searchPage(ctx, filters, 1, 1, "state.startDate:desc")
	if err != nil {
		return nil, c.seal(err)
	}
	if len(res.Results) == 0 || res.Results[0].Namespace != namespace || res.Results[0].FlowID != flowID {
		return nil, fmt.Errorf("latest execution of %s/%s: %w", namespace, flowID,
			&APIError{Operation: "searchExecutions", StatusCode: http.StatusNotFound, Message: "the flow has no execution"})
	}
	id := res.Results[0].ID
	if err := checkServerID(id); err != nil {
		return nil, err
	}
	e, err := c.getExecution(ctx, id)
	return e, c.seal(err)
}

// Logs returns an execution's log entries, typed (the server's JSON log
// list, in order).
func (f *Flow) Logs(ctx context.Context, executionID string) ([]api.LogEntry, error) {
	if err := checkPathIDs("Logs", executionID); err != nil {
		return nil, err
	}
	c, err := f.snapshot()
	if err != nil {
		return nil, err
	}
	logs, err := c.listLogs(ctx, executionID)
	if err != nil {
		return nil, c.seal(fmt.Errorf("listLogsFromExecution %s: %w", executionID, err))
	}
	return logs, nil
}

// KVOption sets an optional attribute of SetKV.
type KVOption func(http.Header)

// WithTTL makes the KV entry expire after d (sent as an ISO-8601 duration).
func WithTTL(d time.Duration) KVOption {
	return func(h http.Header) { h.Set("ttl", javatime.FormatDuration(d)) }
}

// WithDescription sets the KV entry's description.
func WithDescription(s string) KVOption {
	return func(h http.Header) { h.Set("description", s) }
}

// SetKV stores value under key in the namespace's KV store. The value is
// JSON-encoded for the caller (a Go string becomes a STRING entry, a number
// NUMBER, a bool BOOLEAN, maps, slices and structs JSON), so a string is
// never misread as a number or a date.
func (f *Flow) SetKV(ctx context.Context, namespace, key string, value any, opts ...KVOption) error {
	if err := checkPathIDs("SetKV", namespace, key); err != nil {
		return err
	}
	c, err := f.snapshot()
	if err != nil {
		return err
	}
	body, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("set KV %s/%s: encode the value: %w", namespace, key, err)
	}
	h := http.Header{}
	for _, o := range opts {
		o(h)
	}
	// text/plain: the body is JSON text either way (the server parses it as
	// Ion, a superset of JSON), and every server version accepts this type.
	headers := func(_ context.Context, req *http.Request) error {
		for k, v := range h {
			req.Header[k] = v
		}
		return nil
	}
	resp, err := c.api.SetKeyValueWithBodyWithResponse(ctx, c.tenant, namespace, key, "text/plain", bytes.NewReader(body), headers)
	if err != nil {
		return c.seal(fmt.Errorf("set KV %s/%s: %w", namespace, key, err))
	}
	if resp.StatusCode() >= 300 {
		return c.seal(fmt.Errorf("set KV %s/%s: %w", namespace, key, c.apiError("setKeyValue", resp.HTTPResponse, resp.Body)))
	}
	return nil
}

// GetKV reads the value stored under key and decodes it into into (a
// pointer, as json.Unmarshal takes), returning the server's type of the
// entry. A missing key matches ErrNotFound; an expired one is a 410
// *APIError.
func (f *Flow) GetKV(ctx context.Context, namespace, key string, into any) (api.KVType, error) {
	if err := checkPathIDs("GetKV", namespace, key); err != nil {
		return "", err
	}
	c, err := f.snapshot()
	if err != nil {
		return "", err
	}
	resp, err := c.api.GetKeyValueWithResponse(ctx, c.tenant, namespace, key)
	if err != nil {
		return "", c.seal(fmt.Errorf("get KV %s/%s: %w", namespace, key, err))
	}
	if resp.StatusCode() != http.StatusOK {
		return "", c.seal(fmt.Errorf("get KV %s/%s: %w", namespace, key, c.apiError("getKeyValue", resp.HTTPResponse, resp.Body)))
	}
	var raw struct {
		Type  api.KVType      `json:"type"`
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(resp.Body, &raw); err != nil {
		return "", c.seal(fmt.Errorf("get KV %s/%s: decode the answer: %w", namespace, key, err))
	}
	if into != nil {
		if len(raw.Value) == 0 {
			raw.Value = json.RawMessage("null")
		}
		if err := json.Unmarshal(raw.Value, into); err != nil {
			return raw.Type, c.seal(fmt.Errorf("get KV %s/%s: the %s value does not decode into %T: %w", namespace, key, raw.Type, into, err))
		}
	}
	return raw.Type, nil
}

// DeleteKV deletes the value stored under key. deleted is false when the
// key was not set (the server answers false, not 404), so deleting twice
// is not an error.
func (f *Flow) DeleteKV(ctx context.Context, namespace, key string) (deleted bool, err error) {
	if err := checkPathIDs("DeleteKV", namespace, key); err != nil {
		return false, err
	}
	c, err := f.snapshot()
	if err != nil {
		return false, err
	}
	resp, err := c.api.DeleteKeyValueWithResponse(ctx, c.tenant, namespace, key)
	if err != nil {
		return false, c.seal(fmt.Errorf("delete KV %s/%s: %w", namespace, key, err))
	}
	if resp.StatusCode() >= 300 {
		return false, c.seal(fmt.Errorf("delete KV %s/%s: %w", namespace, key, c.apiError("deleteKeyValue", resp.HTTPResponse, resp.Body)))
	}
	if resp.JSON200 == nil {
		return false, c.seal(fmt.Errorf("delete KV %s/%s: the server answered %d without the JSON boolean it sends", namespace, key, resp.StatusCode()))
	}
	return *resp.JSON200, nil
}

// KV reads the value stored under key as a T: KV[int](ctx, f, "ns", "count").
func KV[T any](ctx context.Context, f *Flow, namespace, key string) (T, error) {
	var v T
	_, err := f.GetKV(ctx, namespace, key, &v)
	return v, err
}

// UploadFile stores content as the namespace file at path (absolute, e.g.
// /scripts/main.py), streamed. It is resent after a refusal (429, or a
// request that never left the client) only when content is an io.Seeker.
func (f *Flow) UploadFile(ctx context.Context, namespace, path string, content io.Reader) error {
	if err := checkPathIDs("UploadFile", namespace); err != nil {
		return err
	}
	c, err := f.snapshot()
	if err != nil {
		return err
	}
	return c.seal(c.upload(ctx, namespace, path, content))
}

func (c *call) upload(ctx context.Context, ns, path string, content io.Reader) error {
	op := "upload namespace file " + ns + ":" + path
	boundary := multipart.NewWriter(io.Discard).Boundary()
	var start int64
	seeker, _ := content.(io.Seeker)
	if seeker != nil {
		if start, _ = seeker.Seek(0, io.SeekCurrent); start < 0 {
			seeker = nil
		}
	}
	var writing chan struct{}
	body := func() (io.ReadCloser, error) {
		if writing != nil { // a resend: the last writer must be done before seeking
			<-writing
			if seeker == nil {
				return nil, errors.New("the content cannot be read twice (not an io.Seeker)")
			}
			if _, err := seeker.Seek(start, io.SeekStart); err != nil {
				return nil, err
			}
		}
		pr, pw := io.Pipe()
		done := make(chan struct{})
		writing = done
		go func() {
			defer close(done)
			mw := multipart.NewWriter(pw)
			_ = mw.SetBoundary(boundary)
			part, err := mw.CreateFormFile("fileContent", pathBase(path))
			if err == nil {
				_, err = io.Copy(part, content)
			}
			if err == nil {
				err = mw.Close()
			}
			pw.CloseWithError(err)
		}()
		return pr, nil
	}
	u := c.base + "/api/v1/" + url.PathEscape(c.tenant) + "/namespaces/" + url.PathEscape(ns) + "/files?" + url.Values{"path": {path}}.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if req.Body, err = body(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	req.GetBody = body
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+boundary)
	if err := c.edit(ctx, req); err != nil {
		return err
	}
	resp, err := (&retryDoer{c: c}).Do(req)
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	defer resp.Body.Close()
	if err := c.checkRaw("createNamespaceFile", resp); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return nil
}

func pathBase(p string) string {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '/' {
			return p[i+1:]
		}
	}
	return p
}

// DownloadFile writes the namespace file at path into w, streamed, and
// returns the number of bytes written. A missing file matches ErrNotFound.
// Once bytes were written to w a failure is not retried (it would write
// them twice).
func (f *Flow) DownloadFile(ctx context.Context, namespace, path string, w io.Writer) (int64, error) {
	if err := checkPathIDs("DownloadFile", namespace); err != nil {
		return 0, err
	}
	c, err := f.snapshot()
	if err != nil {
		return 0, err
	}
	op := "download namespace file " + namespace + ":" + path
	resp, err := c.api.GetFileContent(ctx, c.tenant, namespace, &api.GetFileContentParams{Path: path})
	if err != nil {
		return 0, c.seal(fmt.Errorf("%s: %w", op, err))
	}
	if err := c.checkRaw("getFileContent", resp); err != nil {
		return 0, c.seal(fmt.Errorf("%s: %w", op, err))
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, c.seal(fmt.Errorf("%s: after %d bytes: %w", op, n, err))
	}
	return n, nil
}
